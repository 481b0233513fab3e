/// What a logistic regression fit did, counted by its solver: passes over X with and without the
/// Hessian, and factorisations of the Newton matrix. ``LogisticRegression/work(rows:columns:classes:counts:penalty:)``
/// turns them into floating-point operations, the same formula ``LogisticRegression/estimatedCost(rows:columns:classes:maxIter:penalty:)``
/// applies to the counts it assumes, so the assumption can be checked against real fits.
public struct LogisticSolverCounts: Sendable, Codable, Hashable {
    /// Evaluations of the loss with its gradient and Hessian.
    public var hessianEvaluations: Int
    /// Evaluations of the loss and gradient only (chord steps).
    public var gradientEvaluations: Int
    /// Factorisations of the Newton matrix (Cholesky, or the eigendecomposition of a singular one).
    public var factorizations: Int
    /// Of ``hessianEvaluations``, those whose Hessian came from a quarter of the rows (far from
    /// the optimum, two classes, at least 200 rows a term).
    public var sampledHessians: Int

    /// Counts of a fit.
    public init(hessianEvaluations: Int = 0, gradientEvaluations: Int = 0, factorizations: Int = 0, sampledHessians: Int = 0) {
        self.hessianEvaluations = hessianEvaluations
        self.gradientEvaluations = gradientEvaluations
        self.factorizations = factorizations
        self.sampledHessians = sampledHessians
    }
}
