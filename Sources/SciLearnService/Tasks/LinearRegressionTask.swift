import SciLearn

/// `linear_regression`: ordinary least squares with statsmodels OLS inference.
enum LinearRegressionTask {
    static let params = ["fit_intercept", "alpha"]
    static let dataFields = ["X", "y", "feature_names"]

    static func run(_ input: TaskInput) throws(ServiceError) -> TaskOutput {
        let p = try Params(input.params, allowed: params)
        let config = LinearRegression(
            fitIntercept: try p.bool("fit_intercept", default: true),
            alpha: try p.number("alpha", default: 0.05))
        let d = try DataReader(input.data, allowed: dataFields, limits: input.limits)
        let x = try d.matrix("X")
        let y = try d.vector("y", count: x.rows, countSource: "X (rows)")
        let names = try d.featureNames(columns: x.columns) ?? (0..<x.columns).map { "x\($0)" }
        let model: LinearRegression.Model
        do { model = try config.fit(x, y) } catch { throw ServiceError(error) }

        let inf = model.inference
        var r = JSONObject()
        r["coef"] = .numbers(model.coefficients)
        r["intercept"] = .finite(model.intercept)
        r["terms"] = .array(((config.fitIntercept ? ["intercept"] : []) + names).map { .string($0) })
        r["std_errors"] = .numbers(inf.standardErrors)
        r["t_values"] = .numbers(inf.tValues)
        r["p_values"] = .numbers(inf.pValues)
        r["conf_int"] = .array(inf.confidenceIntervals.map { $0.map { .numbers([$0.lower, $0.upper]) } ?? .array([.null, .null]) })
        r["r_squared"] = .finite(inf.rSquared)
        r["adj_r_squared"] = .finite(inf.adjustedRSquared)
        r["f_statistic"] = .finite(inf.fStatistic)
        r["f_p_value"] = .finite(inf.fPValue)
        r["df_model"] = .finite(inf.dfModel)
        r["df_resid"] = .finite(inf.dfResid)
        r["sigma"] = .finite(inf.sigma)
        r["log_likelihood"] = .finite(inf.logLikelihood)
        r["aic"] = .finite(inf.aic)
        r["bic"] = .finite(inf.bic)
        r["rank"] = .number(Double(model.rank))
        r["n_samples"] = .number(Double(model.nSamples))
        r["fit_intercept"] = .bool(config.fitIntercept)
        r["alpha"] = .number(config.alpha)
        return TaskOutput(result: r, warnings: model.warnings)
    }
}
