import CLapack

/// Ridge regression: minimises ‖y − Xw − b‖² + α‖w‖², the intercept b not penalised.
///
/// Matches scikit-learn `Ridge(alpha, fit_intercept)` in `coef_` and `intercept_`. Several
/// targets at once (``fit(_:targets:)``) share one factorisation, as scikit-learn's 2-D `y` does.
///
/// The solver is picked by shape, as scikit-learn's `solver="auto"` picks Cholesky:
/// - n ≥ 2p: the centred normal equations `(XcᵀXc + αI) w = Xcᵀyc` by Cholesky, the cross
///   products in one blocked BLAS-3 pass over X (no centred copy). When the factor's condition
///   estimate exceeds 10¹⁰ (α tiny against a nearly collinear X), or α = 0 leaves it singular,
///   the SVD below is used instead.
/// - p comparable to n, or wider: the SVD, never the normal equations: the tall-skinny QR of
///   `[Xc yc]`, then the SVD of its p × p factor, `w = V·diag(s/(s² + α))·Uᵀ·Qᵀyc`; when p > n,
///   the dual form `w = Xcᵀ (XcXcᵀ + αI)⁻¹ yc` from the SVD of the n × n factor of Xcᵀ.
///   With α = 0 singular values below `max(n, p)·ε·s_max` are cut (the minimum-norm least-squares
///   solution).
///
/// - Complexity: n·(p + k)² flops for the Cholesky path (k targets); about 2·n·p² + 30·p³ for the
///   tall SVD path; 2·p·n² + 30·n³ for the wide one. ``estimatedCost(rows:columns:targets:)``.
public struct Ridge: Sendable, Codable, Hashable {
    /// The range of each numeric parameter, checked by ``validate()`` and stated by the service.
    public enum Rules {
        /// `alpha >= 0`.
        public static let alpha = ParameterRule.atLeast("alpha", 0)
    }

    /// The penalty α (``Rules/alpha``). Default 1.
    public var alpha: Double
    /// Whether to fit an (unpenalised) intercept. Default true.
    public var fitIntercept: Bool

    /// A configuration; ranges are checked by ``fit(_:_:)``.
    public init(alpha: Double = 1, fitIntercept: Bool = true) {
        self.alpha = alpha
        self.fitIntercept = fitIntercept
    }

    /// Checks every parameter against its ``Rules``.
    public func validate() throws(SciLearnError) {
        try Rules.alpha.check(alpha)
    }

    /// The solver a fit used.
    public enum Solver: String, Sendable, Codable, Hashable {
        /// Cholesky of the centred normal equations.
        case cholesky
        /// The SVD of the QR factor of the centred design (or of its transpose).
        case svd
    }

    /// Fits one target `y` (n values) on `x` (n × p).
    ///
    /// - Throws: `invalidParameter` (`alpha`), `invalidData` (shapes, non-finite values, no
    ///   samples or features), `numericalFailure` (sums of squares overflow), `cancelled`.
    public func fit(_ x: Matrix, _ y: [Double]) throws(SciLearnError) -> Model {
        let m = try fit(x, targets: Matrix(rows: y.count, columns: 1, columnMajor: y))
        return Model(coefficients: Array(m.coefficients.storage.prefix(x.columns)), intercept: m.intercepts[0],
                     fitIntercept: fitIntercept, solver: m.solver)
    }

    /// Fits k targets at once (`targets`: n × k, one column per target).
    public func fit(_ x: Matrix, targets: Matrix) throws(SciLearnError) -> MultiTargetModel {
        BLASThreading.pinSingleThreaded()
        try validate()
        let data = try CenteredData(x: x, targets: targets, fitIntercept: fitIntercept)
        let n = data.rows, p = data.columns, k = targets.columns
        var w: [Double]? = nil
        if n >= 2 * p {
            w = try Self.cholesky(data, alpha: alpha)
        }
        let solver: Solver = w == nil ? .svd : .cholesky
        let coef: [Double]
        if let w { coef = w } else if n >= p { coef = try Self.svdTall(data, alpha: alpha) } else { coef = try Self.svdWide(data, alpha: alpha) }
        return MultiTargetModel(coefficients: Matrix(rows: p, columns: k, columnMajor: coef),
                                intercepts: data.intercepts(coef), fitIntercept: fitIntercept, solver: solver)
    }

    /// Peak memory and work of a fit on `rows × columns` X with `targets` targets, from the
    /// shape alone (the costlier of the paths the shape allows).
    public static func estimatedCost(rows n: Int, columns p: Int, targets k: Int = 1) -> ComputeCost {
        let nd = Double(n), pd = Double(p), kd = Double(k), w = pd + kd
        let blocks = Double(BlockedSum.blockCount(rows: n)) + 1
        let response = 100 * pd * kd
        var memory = 8 * (blocks * w * w + 4 * pd * pd + 64 * w) + response
        var flops = nd * w * w + pd * pd * pd
        if n < 2 * p {
            let small = min(nd, pd), large = max(nd, pd)
            let tsqr = LinearRegression.estimatedCost(rows: Int(large), columns: Int(small + kd), fitIntercept: false)
            memory = max(memory, tsqr.memoryBytes + 8 * (nd * pd + 6 * small * small + nd * kd))
            flops = max(flops, tsqr.flops + 2 * nd * pd * kd + 30 * small * small * small)
        }
        return ComputeCost(memoryBytes: memory, flops: flops, drivenBy: "X: \(n) rows × \(p) columns")
    }

    /// The normal equations by Cholesky; nil when the system is singular or too ill-conditioned
    /// for them (κ₁ estimate above 10¹⁰).
    static func cholesky(_ data: CenteredData, alpha: Double) throws(SciLearnError) -> [Double]? {
        let p = data.columns, k = data.targets.columns, w = p + k
        let c = try data.crossProducts()
        var a = [Double](repeating: 0, count: p * p)
        for j in 0..<p { for i in 0...j { a[i + j * p] = c[i + j * w] } }
        for j in 0..<p { a[j + j * p] += alpha }
        var b = [Double](repeating: 0, count: p * k)
        for t in 0..<k { for i in 0..<p { b[i + t * p] = c[i + (p + t) * w] } }
        let rcond = try a.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
            try LAPACK.choleskyUpper(n: p, a: ap.baseAddress!, lda: p)
        }
        guard let rcond, rcond > 1e-10 else { return nil }
        try a.withUnsafeBufferPointer { (ap) throws(SciLearnError) in
            try b.withUnsafeMutableBufferPointer { (bp) throws(SciLearnError) in
                try LAPACK.choleskySolve(n: p, nrhs: k, factor: ap.baseAddress!, lda: p, b: bp.baseAddress!, ldb: p)
            }
        }
        return b
    }

    /// The filter `s/(s² + α)` (or `1/(s² + α)` for the dual), with the minimum-norm cut at α = 0.
    static func filter(_ s: [Double], alpha: Double, rows n: Int, columns p: Int, dual: Bool) -> [Double] {
        let cut = alpha > 0 ? 0 : (s.first ?? 0) * Double(max(n, p)) * Double.ulpOfOne
        return s.map { v in v > cut ? (dual ? 1 / (v * v + alpha) : v / (v * v + alpha)) : 0 }
    }

    /// n ≥ p: `[Xc Yc] = Q [[R, Z], [0, *]]`, R = U S Vᵀ, w = V·diag(s/(s² + α))·Uᵀ Z.
    static func svdTall(_ data: CenteredData, alpha: Double) throws(SciLearnError) -> [Double] {
        let n = data.rows, p = data.columns, k = data.targets.columns, w = p + k
        let raug = try TallSkinnyQR.r(of: data.augmented)
        var r = [Double](repeating: 0, count: p * p)
        for j in 0..<p { for i in 0...j { r[i + j * p] = raug[i + j * w] } }
        try CancellationToken.check()
        let svd = try r.withUnsafeMutableBufferPointer { (rp) throws(SciLearnError) in
            try LAPACK.svd(n: p, a: rp.baseAddress!, lda: p)
        }
        let f = filter(svd.s, alpha: alpha, rows: n, columns: p, dual: false)
        var out = [Double](repeating: 0, count: p * k)
        for t in 0..<k {
            // coef = Σ_m v_m · f_m · (u_mᵀ z)
            for m in 0..<p where f[m] != 0 {
                var uz = 0.0
                for i in 0..<p { uz += svd.u[i + m * p] * raug[i + (p + t) * w] }
                let c = f[m] * uz
                for j in 0..<p { out[j + t * p] += svd.vt[m + j * p] * c }
            }
        }
        return out
    }

    /// n < p: Xcᵀ = Q R (the tall-skinny QR of the p × n transpose), R = U S Vᵀ, so
    /// XcXcᵀ = V S² Vᵀ and w = Xcᵀ·V·diag(1/(s² + α))·Vᵀ·Yc.
    static func svdWide(_ data: CenteredData, alpha: Double) throws(SciLearnError) -> [Double] {
        let n = data.rows, p = data.columns, k = data.targets.columns
        let xc = data.centeredX()
        let r = try TallSkinnyQR.r(of: TransposedDesign(x: xc, leadingOnes: false))
        try CancellationToken.check()
        var rr = r
        let svd = try rr.withUnsafeMutableBufferPointer { (rp) throws(SciLearnError) in
            try LAPACK.svd(n: n, a: rp.baseAddress!, lda: n)
        }
        let g = filter(svd.s, alpha: alpha, rows: n, columns: p, dual: true)
        // dual (n × k) = V diag(g) Vᵀ Yc, V = vtᵀ.
        var dual = [Double](repeating: 0, count: n * k)
        for t in 0..<k {
            let yc = (0..<n).map { data.targets[$0, t] - data.yMeans[t] }
            for m in 0..<n where g[m] != 0 {
                var vy = 0.0
                for i in 0..<n { vy += svd.vt[m + i * n] * yc[i] }
                let c = g[m] * vy
                for i in 0..<n { dual[i + t * n] += svd.vt[m + i * n] * c }
            }
        }
        var out = [Double](repeating: 0, count: p * k)
        xc.withUnsafeBufferPointer { xs in
            dual.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { o in
                    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(k), Int32(n), 1.0,
                                xs.baseAddress, Int32(n), d.baseAddress, Int32(n), 0.0, o.baseAddress, Int32(p))
                }
            }
        }
        return out
    }
}
