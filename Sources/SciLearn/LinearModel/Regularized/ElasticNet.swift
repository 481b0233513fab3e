/// The elastic net: minimises `1/(2n)·‖y − Xw − b‖² + α·ρ·‖w‖₁ + ½·α·(1 − ρ)·‖w‖²` (ρ =
/// `l1Ratio`), the intercept b not penalised, by cyclic coordinate descent with scikit-learn's
/// duality-gap stopping rule.
///
/// Matches scikit-learn `ElasticNet(alpha, l1_ratio, fit_intercept, max_iter, tol)` (and
/// ``Lasso``, ρ = 1) in `coef_`, `intercept_`, `n_iter_` and `dual_gap_`: the sweeps are
/// scikit-learn's, step for step (see `CoordinateDescent`), so at the same `tol` the objective
/// and the stopping point are the same up to rounding. When n ≥ 2p the sweeps run on the
/// precomputed centred Gram matrix (one blocked BLAS-3 pass over X), so a sweep costs O(p²)
/// whatever n; otherwise on a centred copy of X, O(n·p) per sweep.
///
/// Non-convergence within `maxIter` sweeps is not an error: the model carries a warning, as
/// scikit-learn's `ConvergenceWarning`.
///
/// - Complexity: n·p² once plus O(p²) per sweep (n ≥ 2p); O(n·p) per sweep otherwise.
public struct ElasticNet: Sendable, Codable, Hashable {
    /// The range of each numeric parameter, checked by ``validate()`` and stated by the service.
    public enum Rules {
        /// `alpha >= 0`.
        public static let alpha = ParameterRule.atLeast("alpha", 0)
        /// `l1_ratio in [0, 1]`.
        public static let l1Ratio = ParameterRule("l1_ratio", lower: .inclusive(0), upper: .inclusive(1))
        /// `max_iter >= 1`.
        public static let maxIter = ParameterRule.count("max_iter", atLeast: 1)
        /// `tol >= 0`.
        public static let tol = ParameterRule.atLeast("tol", 0)
    }

    /// The penalty α (``Rules/alpha``). Default 1.
    public var alpha: Double
    /// The L1 share ρ of the penalty (``Rules/l1Ratio``). Default 0.5.
    public var l1Ratio: Double
    /// Whether to fit an (unpenalised) intercept. Default true.
    public var fitIntercept: Bool
    /// Most sweeps over the coordinates (``Rules/maxIter``). Default 1000.
    public var maxIter: Int
    /// Stop when the duality gap is at most `tol·‖y − ȳ‖²` (in the units of ½‖·‖²; ``Rules/tol``).
    /// Default 1e-4.
    public var tol: Double

    /// A configuration; ranges are checked by ``fit(_:_:)``.
    public init(alpha: Double = 1, l1Ratio: Double = 0.5, fitIntercept: Bool = true, maxIter: Int = 1000, tol: Double = 1e-4) {
        self.alpha = alpha
        self.l1Ratio = l1Ratio
        self.fitIntercept = fitIntercept
        self.maxIter = maxIter
        self.tol = tol
    }

    /// Checks every parameter against its ``Rules``.
    public func validate() throws(SciLearnError) {
        try Rules.alpha.check(alpha)
        try validateSettings()
    }

    private func validateSettings() throws(SciLearnError) {
        try Rules.l1Ratio.check(l1Ratio)
        try Rules.maxIter.check(maxIter)
        try Rules.tol.check(tol)
    }

    /// A fitted elastic net (or lasso).
    public struct Model: Sendable, Codable, Hashable {
        /// The penalty this model was fitted with.
        public var alpha: Double
        /// One coefficient per column of X.
        public var coefficients: [Double]
        /// The intercept (0 when not fitted).
        public var intercept: Double
        /// Sweeps run (0 when the starting point already met the tolerance).
        public var iterations: Int
        /// The duality gap at the end, divided by n (scikit-learn `dual_gap_`).
        public var dualGap: Double
        /// Whether the gap reached the tolerance.
        public var converged: Bool
        /// Conditions a user should know of (non-convergence, α = 0).
        public var warnings: [String]

        /// `X w + b` for new samples.
        public func predict(_ x: Matrix) throws(SciLearnError) -> [Double] {
            try LinearPredictor(coefficients: coefficients, intercept: intercept).predict(x)
        }
    }

    /// Fits `y` (n values) on `x` (n × p).
    ///
    /// - Throws: `invalidParameter` (``Rules``), `invalidData`,
    ///   `numericalFailure` (sums of squares overflow), `cancelled`.
    public func fit(_ x: Matrix, _ y: [Double]) throws(SciLearnError) -> Model {
        try path(x, y, alphas: [alpha])[0]
    }

    /// Fits along a sequence of penalties, each fit starting from the previous one's
    /// coefficients (warm starts): with α decreasing from the largest, the path scikit-learn's
    /// `enet_path` computes. The data is centred (or its Gram matrix formed) once.
    ///
    /// - Throws: as ``fit(_:_:)``; `alphas[i]` names a bad penalty.
    public func path(_ x: Matrix, _ y: [Double], alphas: [Double]) throws(SciLearnError) -> [Model] {
        BLASThreading.pinSingleThreaded()
        for (i, a) in alphas.enumerated() {
            try Rules.alpha.check(a, name: alphas.count == 1 ? "alpha" : "alphas[\(i)]")
        }
        try validateSettings()
        let data = try CenteredData(x: x, targets: Matrix(rows: y.count, columns: 1, columnMajor: y), fitIntercept: fitIntercept)
        let n = data.rows, p = data.columns
        var w = [Double](repeating: 0, count: p)
        var models: [Model] = []
        if n >= 2 * p {
            let c = try data.crossProducts()
            let g = (0..<p).flatMap { j in (0..<p).map { c[$0 + j * (p + 1)] } }
            let q = (0..<p).map { c[$0 + p * (p + 1)] }
            let yy = c[p + p * (p + 1)]
            var state = CoordinateDescent.Gram(g: g, q: q, yy: yy, w: w)
            for a in alphas {
                let out = try CoordinateDescent.solve(&state, w: w, l1: a * l1Ratio * Double(n), l2: a * (1 - l1Ratio) * Double(n),
                                                      tol: tol, yy: yy, maxIter: maxIter)
                w = out.w
                models.append(model(out, alpha: a, data: data, tolerance: tol * yy))
            }
        } else {
            let xc = data.centeredX()
            let yc = (0..<n).map { y[$0] - data.yMeans[0] }
            let yy = yc.reduce(0) { $0 + $1 * $1 }
            for a in alphas {
                var state = CoordinateDescent.Columns(x: xc, y: yc, w: w)
                let out = try CoordinateDescent.solve(&state, w: w, l1: a * l1Ratio * Double(n), l2: a * (1 - l1Ratio) * Double(n),
                                                      tol: tol, yy: yy, maxIter: maxIter)
                w = out.w
                models.append(model(out, alpha: a, data: data, tolerance: tol * yy))
            }
        }
        return models
    }

    private func model(_ out: CoordinateDescent.Outcome, alpha: Double, data: CenteredData, tolerance: Double) -> Model {
        var warnings: [String] = []
        let n = Double(data.rows)
        if !out.converged {
            warnings.append("max_iter=\(maxIter) reached before convergence (tol=\(tol)): the duality gap \(out.gap / n) is above tol·‖y − ȳ‖²/n = \(tolerance / n)")
        }
        if alpha == 0 {
            warnings.append("alpha=0 makes this ordinary least squares, which coordinate descent solves poorly; use linear_regression")
        }
        return Model(alpha: alpha, coefficients: out.w, intercept: data.intercepts(out.w)[0], iterations: out.iterations,
                     dualGap: out.gap / n, converged: out.converged, warnings: warnings)
    }

    /// Peak memory and work of a fit on `rows × columns` X, up to `maxIter` sweeps.
    public static func estimatedCost(rows n: Int, columns p: Int, maxIter: Int) -> ComputeCost {
        let nd = Double(n), pd = Double(p), it = Double(maxIter)
        if n >= 2 * p {
            let blocks = Double(BlockedSum.blockCount(rows: n)) + 1
            let w = pd + 1
            return ComputeCost(memoryBytes: 8 * (blocks * w * w + 3 * pd * pd + 64 * w) + 100 * pd,
                               flops: nd * w * w + it * 4 * pd * pd, drivenBy: "X: \(n) rows × \(p) columns")
        }
        return ComputeCost(memoryBytes: 8 * (nd * pd + 4 * nd + 4 * pd) + 100 * pd, flops: it * 5 * nd * pd,
                           drivenBy: "X: \(n) rows × \(p) columns")
    }
}
