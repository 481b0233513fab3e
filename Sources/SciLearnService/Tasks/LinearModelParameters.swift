import SciLearn

/// A linear model read back from a fit's result (`coef`, `intercept`, and the `terms` it was
/// fitted with): what `predict` needs of `linear_regression` and of every other linear model.
struct LinearModelParameters: Decodable, FittedModel {
    var coef: [Double]
    var intercept: Double
    var terms: [String]?

    static let use = ModelUse(verb: .predict) { (result, path) throws(ServiceError) in
        try ModelDecoder.decode(LinearModelParameters.self, from: result, path: path)
    }

    var featureCount: Int { coef.count }

    /// The feature names among `terms` (which lead with "intercept" when one was fitted).
    var featureNames: [String]? { LinearTerms.featureNames(terms: terms, count: coef.count) }

    func cost(rows: Int) -> ComputeCost {
        ComputeCost(memoryBytes: 48 * Double(rows), flops: 2 * Double(rows) * Double(coef.count),
                    drivenBy: "X: \(rows) rows × \(coef.count) columns")
    }

    func apply(_ x: Matrix) throws(ServiceError) -> TaskOutput {
        let predictions: [Double]
        do { predictions = try LinearPredictor(coefficients: coef, intercept: intercept).predict(x) } catch { throw ServiceError(error) }
        var warnings = ResultWarnings([])
        let values = warnings.withinRange(predictions, "predictions")
        return try TaskOutput(PredictTask.Result(predictions: .values(values), probabilities: nil), warnings: warnings.all)
    }
}
