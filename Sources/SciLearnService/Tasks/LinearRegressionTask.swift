import SciLearn

/// `linear_regression`: ordinary least squares with statsmodels OLS inference.
enum LinearRegressionTask {
    static let fitIntercept = Param.bool("fit_intercept", default: true, doc: "fit an intercept (statsmodels `add_constant`)")
    static let alpha = Param.number("alpha", default: 0.05, constraint: "in (0, 1)", doc: "significance level of `conf_int`")
    static let x = DataField.matrix("X", doc: "n samples × p features")
    static let y = DataField.vector("y", doc: "n targets")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    static let declaration = TaskDeclaration(
        name: "linear_regression",
        summary: "Ordinary least squares with statsmodels OLS inference.",
        params: [fitIntercept, alpha],
        data: [x, y, featureNames],
        model: LinearModelParameters.use
    ) { (input) throws(ServiceError) in
        let config = LinearRegression(fitIntercept: try input.read(fitIntercept), alpha: try input.read(alpha))
        let x = try input.read(Self.x)
        let y = try input.read(Self.y)
        try DataReader.checkLength(y.count, key: "y", count: x.rows, countSource: "X (rows)")
        let names = try input.read(featureNames, columns: x.columns) ?? (0..<x.columns).map { "x\($0)" }
        let cost = LinearRegression.estimatedCost(rows: x.rows, columns: x.columns, fitIntercept: config.fitIntercept)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: LinearRegression.Model
            do throws(SciLearnError) { model = try config.fit(x, y) } catch { throw ServiceError(error) }
            return try TaskOutput(Result(model, config: config, names: names), warnings: model.warnings)
        }
    }

    /// The contract's result, field for field (statsmodels' names).
    struct Result: Encodable {
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

        init(_ model: LinearRegression.Model, config: LinearRegression, names: [String]) {
            let inf = model.inference
            // A coefficient beyond the range of a double (inputs near 1e±300) is reported null,
            // with the warning the engine adds.
            coef = model.coefficients.map { $0.isFinite ? $0 : nil }
            intercept = model.intercept.isFinite ? model.intercept : nil
            terms = (config.fitIntercept ? ["intercept"] : []) + names
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
