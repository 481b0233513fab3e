import SciLearn

/// `linear_regression`: ordinary least squares with statsmodels OLS inference.
enum LinearRegressionTask {
    static let fitIntercept = Param.bool("fit_intercept", default: LinearRegression().fitIntercept, doc: "fit an intercept (statsmodels `add_constant`)")
    static let alpha = Param.number("alpha", default: LinearRegression().alpha, rule: LinearRegression.Rules.alpha, doc: "significance level of `conf_int`")
    static let x = DataField.matrix("X", acceptsNoColumns: true, doc: "n samples × p features (p = 0 with fit_intercept: the intercept-only model, as statsmodels)")
    static let y = DataField.vector("y", pairedWith: "X", doc: "n targets")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    static let declaration = TaskDeclaration(
        name: "linear_regression",
        summary: "Ordinary least squares with statsmodels OLS inference.",
        params: [fitIntercept, alpha],
        data: [x, y, featureNames],
        result: Result.self,
        model: LinearModelParameters.use
    ) { (input) throws(ServiceError) in
        let config = LinearRegression(fitIntercept: try input.read(fitIntercept), alpha: try input.read(alpha))
        let (x, y) = try LinearTerms.design(input, Self.x, Self.y)
        let names = try LinearTerms.names(input, featureNames, columns: x.columns)
        let cost = LinearRegression.estimatedCost(rows: x.rows, columns: x.columns, fitIntercept: config.fitIntercept)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: LinearRegression.Model
            do throws(SciLearnError) { model = try config.fit(x, y) } catch { throw ServiceError(error) }
            var warnings = ResultWarnings(model.warnings)
            let result = Result(model, config: config, names: names, warnings: &warnings)
            return try TaskOutput(result, warnings: warnings.all)
        }
    }

    /// The contract's result, field for field (statsmodels' names).
    struct Result: TaskResult {
        var coef: [Double?]
        var intercept: Double?
        var terms: [String]
        var stdErrors: [Double?]
        var tValues: [Double?]
        var pValues: [Double?]
        var confInt: [[Double?]]
        var rSquared: Double?
        var adjRSquared: Double?
        var fStatistic: Double?
        var fPValue: Double?
        var dfModel: Double
        var dfResid: Double
        var sigma: Double?
        var logLikelihood: Double?
        var aic: Double?
        var bic: Double?
        var rank: Int
        var nSamples: Int
        var fitIntercept: Bool
        var alpha: Double

        static let fields = [
            ResultFieldInfo("coef", .numbers, nullable: true, "one coefficient per column of X (`params` without the constant); null beyond the range of a double"),
            ResultFieldInfo("intercept", .number, nullable: true, "the constant's coefficient, 0 without one"),
            ResultFieldInfo("terms", .strings, "\"intercept\" (when fitted), then the feature names: the order of the per-term lists below"),
            ResultFieldInfo("std_errors", .numbers, nullable: true, "`bse`, per term; null when df_resid is 0"),
            ResultFieldInfo("t_values", .numbers, nullable: true, "`tvalues`; null where the standard error is 0 or undefined"),
            ResultFieldInfo("p_values", .numbers, nullable: true, "`pvalues`, two-sided Student t"),
            ResultFieldInfo("conf_int", .numberRows, nullable: true, "`conf_int(alpha)`: [lower, upper] per term"),
            ResultFieldInfo("r_squared", .number, nullable: true, "`rsquared` (uncentred without a constant); null when y has zero variance"),
            ResultFieldInfo("adj_r_squared", .number, nullable: true, "`rsquared_adj`"),
            ResultFieldInfo("f_statistic", .number, nullable: true, "`fvalue`; null without terms besides the constant or for a perfect fit"),
            ResultFieldInfo("f_p_value", .number, nullable: true, "`f_pvalue`"),
            ResultFieldInfo("df_model", .number, "`df_model`: rank minus the constant"),
            ResultFieldInfo("df_resid", .number, "`df_resid`: n minus the rank"),
            ResultFieldInfo("sigma", .number, nullable: true, "√`scale`, the residual standard error"),
            ResultFieldInfo("log_likelihood", .number, nullable: true, "`llf`; null for a perfect fit"),
            ResultFieldInfo("aic", .number, nullable: true, "`aic`"),
            ResultFieldInfo("bic", .number, nullable: true, "`bic`"),
            ResultFieldInfo("rank", .integer, "the design's numerical rank"),
            ResultFieldInfo("n_samples", .integer, "`nobs`"),
            ResultFieldInfo("fit_intercept", .boolean, "whether an intercept was fitted"),
            ResultFieldInfo("alpha", .number, "the significance level of `conf_int`"),
        ]

        init(_ model: LinearRegression.Model, config: LinearRegression, names: [String], warnings: inout ResultWarnings) {
            let inf = model.inference
            coef = warnings.withinRange(model.coefficients, "coef")
            intercept = warnings.withinRange(model.intercept, "intercept")
            terms = LinearTerms.terms(names, fitIntercept: config.fitIntercept)
            stdErrors = inf.standardErrors
            tValues = inf.tValues
            pValues = inf.pValues
            confInt = inf.confidenceIntervals.map { $0.map { [$0.lower, $0.upper] } ?? [nil, nil] }
            rSquared = inf.rSquared
            adjRSquared = inf.adjustedRSquared
            fStatistic = inf.fStatistic
            fPValue = inf.fPValue
            dfModel = inf.dfModel
            dfResid = inf.dfResid
            sigma = inf.sigma
            logLikelihood = inf.logLikelihood
            aic = inf.aic
            bic = inf.bic
            rank = model.rank
            nSamples = model.nSamples
            fitIntercept = config.fitIntercept
            alpha = config.alpha
        }
    }
}
