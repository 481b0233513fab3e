import SciLearn

/// A model read back from a fit's result, ready to be applied to new samples by `predict` or
/// `transform`.
protocol FittedModel: Sendable {
    /// Columns of X the model was fitted on.
    var featureCount: Int { get }
    /// The feature names it was fitted with, when its result lists them.
    var featureNames: [String]? { get }
    /// The cost of applying it to `rows` samples.
    func cost(rows: Int) -> ComputeCost
    /// Applies it to X (already checked to have ``featureCount`` columns).
    func apply(_ x: Matrix) throws(ServiceError) -> TaskOutput
}
