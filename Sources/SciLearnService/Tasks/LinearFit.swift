/// The result every penalised linear regression shares: `coef`, `intercept`, `terms` and
/// `fit_intercept`, followed by the task's own fields (`Extra`: `alpha` and `best_score` of
/// `ridge_cv`, `n_iter` and `dual_gap` of the coordinate-descent fits). A coefficient beyond the
/// range of a double is null with the warning of ``ResultWarnings``.
struct LinearFit<Extra: TaskResult>: TaskResult {
    var coef: [Double?]
    var intercept: Double?
    var terms: [String]
    var fitIntercept: Bool
    var extra: Extra

    static var fields: [ResultFieldInfo] {
        [
            ResultFieldInfo("coef", .numbers, nullable: true, "one coefficient per column of X (null beyond the range of a double)"),
            ResultFieldInfo("intercept", .number, nullable: true, "the intercept, 0 when not fitted (null beyond the range of a double)"),
            ResultFieldInfo("terms", .strings, "\"intercept\" (when fitted), then the feature names"),
            ResultFieldInfo("fit_intercept", .boolean, "whether an intercept was fitted"),
        ] + Extra.fields
    }

    enum CodingKeys: String, CodingKey { case coef, intercept, terms, fitIntercept }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(coef, forKey: .coef)
        try c.encodeIfPresent(intercept, forKey: .intercept)
        try c.encode(terms, forKey: .terms)
        try c.encode(fitIntercept, forKey: .fitIntercept)
        try extra.encode(to: encoder)
    }

    /// The task's output: the fit's coefficients, names and extra fields, with `warnings`.
    static func output(coefficients: [Double], intercept: Double, names: [String], fitIntercept: Bool, extra: Extra,
                       warnings: [String] = []) throws(ServiceError) -> TaskOutput {
        var w = ResultWarnings(warnings)
        let result = LinearFit(coef: w.withinRange(coefficients, "coef"), intercept: w.withinRange(intercept, "intercept"),
                               terms: LinearTerms.terms(names, fitIntercept: fitIntercept), fitIntercept: fitIntercept, extra: extra)
        return try TaskOutput(result, warnings: w.all)
    }
}

/// No fields beyond ``LinearFit``'s (`ridge`).
struct NoExtraFields: TaskResult {
    static let fields: [ResultFieldInfo] = []
    func encode(to encoder: any Encoder) throws {}
}
