/// The term names a linear model's result lists: `"intercept"` first when one was fitted, then
/// the feature names (given, or `x0, x1, ...`), as statsmodels names them.
enum LinearTerms {
    static func names(_ input: TaskInput, _ field: FeatureNamesField, columns: Int) throws(ServiceError) -> [String] {
        try input.read(field, columns: columns) ?? (0..<columns).map { "x\($0)" }
    }

    static func terms(_ names: [String], fitIntercept: Bool) -> [String] {
        (fitIntercept ? ["intercept"] : []) + names
    }

    /// The feature names among a result's `terms` (which lead with "intercept" when one was
    /// fitted), when they name `count` features.
    static func featureNames(terms: [String]?, count: Int) -> [String]? {
        guard let terms else { return nil }
        if terms.count == count + 1 && terms.first == "intercept" { return Array(terms.dropFirst()) }
        return terms.count == count ? terms : nil
    }

    /// A value for the result: nil (JSON null) when it is beyond the range of a double.
    static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
}
