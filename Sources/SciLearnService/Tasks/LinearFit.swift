/// The result every penalised linear regression shares: `coef`, `intercept`, `terms` and
/// `fit_intercept`, plus the task's own fields (`alpha`, `best_score`, `n_iter`, `dual_gap`).
/// A coefficient beyond the range of a double is reported null with a warning.
struct LinearFit {
    var coefficients: [Double]
    var intercept: Double
    var names: [String]
    var fitIntercept: Bool
    var extra: JSONObject = [:]
    var warnings: [String] = []

    func output() throws(ServiceError) -> TaskOutput {
        var w = warnings
        if coefficients.contains(where: { !$0.isFinite }) || !intercept.isFinite {
            w.append("a coefficient or the intercept is beyond the range of a double and is reported null; rescale X and y")
        }
        var out = try TaskOutput(Result(coef: coefficients.map(LinearTerms.finite), intercept: LinearTerms.finite(intercept),
                                        terms: LinearTerms.terms(names, fitIntercept: fitIntercept), fitIntercept: fitIntercept),
                                 warnings: w)
        for (k, v) in extra.entries { out.result[k] = v }
        return out
    }

    struct Result: Encodable {
        var coef: [Double?]
        var intercept: Double?
        var terms: [String]
        var fitIntercept: Bool
    }
}
