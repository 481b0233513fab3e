/// The lasso: minimises `1/(2n)·‖y − Xw − b‖² + α·‖w‖₁`, the elastic net with `l1Ratio` 1.
///
/// Matches scikit-learn `Lasso(alpha, fit_intercept, max_iter, tol)` in `coef_`, `intercept_`,
/// `n_iter_` and `dual_gap_`; see ``ElasticNet`` for the solver.
///
/// - Complexity: as ``ElasticNet``.
public struct Lasso: Sendable, Codable, Hashable {
    /// The penalty α (``ElasticNet/Rules/alpha``). Default 1.
    public var alpha: Double
    /// Whether to fit an (unpenalised) intercept. Default true.
    public var fitIntercept: Bool
    /// Most sweeps over the coordinates (``ElasticNet/Rules/maxIter``). Default 1000.
    public var maxIter: Int
    /// Stop when the duality gap is at most `tol·‖y − ȳ‖²` (``ElasticNet/Rules/tol``). Default 1e-4.
    public var tol: Double

    /// A configuration; ranges are checked by ``fit(_:_:)``.
    public init(alpha: Double = 1, fitIntercept: Bool = true, maxIter: Int = 1000, tol: Double = 1e-4) {
        self.alpha = alpha
        self.fitIntercept = fitIntercept
        self.maxIter = maxIter
        self.tol = tol
    }

    /// Checks every parameter against ``ElasticNet/Rules``.
    public func validate() throws(SciLearnError) { try elasticNet.validate() }

    /// The same problem as an elastic net with `l1Ratio` 1.
    public var elasticNet: ElasticNet {
        ElasticNet(alpha: alpha, l1Ratio: 1, fitIntercept: fitIntercept, maxIter: maxIter, tol: tol)
    }

    /// Fits `y` (n values) on `x` (n × p). See ``ElasticNet/fit(_:_:)``.
    public func fit(_ x: Matrix, _ y: [Double]) throws(SciLearnError) -> ElasticNet.Model {
        try elasticNet.fit(x, y)
    }

    /// Fits along a sequence of penalties with warm starts. See ``ElasticNet/path(_:_:alphas:)``.
    public func path(_ x: Matrix, _ y: [Double], alphas: [Double]) throws(SciLearnError) -> [ElasticNet.Model] {
        try elasticNet.path(x, y, alphas: alphas)
    }
}
