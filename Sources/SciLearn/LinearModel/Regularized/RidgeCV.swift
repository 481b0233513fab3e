import CLapack

/// Ridge regression with α chosen by efficient leave-one-out cross-validation over a list of
/// candidates, from one decomposition of X: matches scikit-learn `RidgeCV(alphas,
/// fit_intercept)` (its default generalised cross-validation mode) in `alpha_`, `best_score_`
/// (the negative mean squared leave-one-out error), `coef_` and `intercept_`.
///
/// The leave-one-out error of sample i is `eᵢ / (1 − hᵢᵢ)`, e the residual of the fit on all
/// samples and H its hat matrix (with an unpenalised intercept, `hᵢᵢ` includes `1/n`), so every α
/// costs O(n·p) once X is decomposed:
/// - n > p (scikit-learn's "cov" mode): the eigendecomposition `XcᵀXc = V Λ Vᵀ` of the centred
///   cross products (one blocked BLAS-3 pass), then `Z = Xc V` block by block, never stored:
///   `hᵢᵢ = 1/n + Σₖ zᵢₖ² / (λₖ + α)`.
/// - n ≤ p ("gram" mode): `XcXcᵀ = Q Λ Qᵀ` from the SVD of the n × n factor of Xcᵀ (its QR),
///   never forming XcXcᵀ.
/// The first α of the list among equal best scores is chosen, as scikit-learn does.
///
/// - Complexity: n·p² + 9p³ + n·p·(p + 2·a) flops for a candidates (n > p); 2·p·n² + 30·n³ +
///   a·n² for n ≤ p.
public struct RidgeCV: Sendable, Codable, Hashable {
    /// The range of each numeric parameter, checked by ``validate()`` and stated by the service.
    public enum Rules {
        /// Each of `alphas` `> 0` (and at least one candidate).
        public static let alpha = ParameterRule.above("alphas", 0)
    }

    /// Candidate penalties, each in ``Rules/alpha``. Default [0.1, 1, 10].
    public var alphas: [Double]
    /// Whether to fit an (unpenalised) intercept. Default true.
    public var fitIntercept: Bool

    /// A configuration; ranges are checked by ``fit(_:_:)``.
    public init(alphas: [Double] = [0.1, 1, 10], fitIntercept: Bool = true) {
        self.alphas = alphas
        self.fitIntercept = fitIntercept
    }

    /// Checks the configuration's ranges (at least one candidate, each finite and > 0).
    public func validate() throws(SciLearnError) {
        guard !alphas.isEmpty else { throw .invalidParameter("alphas", "must hold at least one value") }
        for (i, a) in alphas.enumerated() { try Rules.alpha.check(a, name: "alphas[\(i)]") }
    }

    /// A fitted model: the chosen α, its coefficients and the leave-one-out scores.
    public struct Model: Sendable, Codable, Hashable {
        /// The chosen α (scikit-learn `alpha_`).
        public var alpha: Double
        /// The coefficients at the chosen α.
        public var coefficients: [Double]
        /// The intercept (0 when not fitted).
        public var intercept: Double
        /// Negative mean squared leave-one-out error at the chosen α (`best_score_`).
        public var bestScore: Double
        /// The same score for every candidate, in the order of `alphas`.
        public var scores: [Double]
        /// Whether the intercept was fitted.
        public var fitIntercept: Bool

        /// `X w + b` for new samples.
        public func predict(_ x: Matrix) throws(SciLearnError) -> [Double] {
            try LinearPredictor(coefficients: coefficients, intercept: intercept).predict(x)
        }
    }

    /// Fits `y` (n values) on `x` (n × p), choosing α by leave-one-out error.
    ///
    /// - Throws: `invalidParameter` (`alphas`: empty, or an element not finite and > 0),
    ///   `invalidData` (shapes, non-finite values, fewer than 2 samples), `numericalFailure`,
    ///   `cancelled`.
    public func fit(_ x: Matrix, _ y: [Double]) throws(SciLearnError) -> Model {
        BLASThreading.pinSingleThreaded()
        try validate()
        let data = try CenteredData(x: x, targets: Matrix(rows: y.count, columns: 1, columnMajor: y),
                                    fitIntercept: fitIntercept, minimumRows: 2)
        let (scores, coefficientsFor) = data.rows > data.columns ? try covariance(data) : try gram(data)
        var best = 0
        for a in 1..<alphas.count where scores[a] > scores[best] { best = a }
        guard scores[best].isFinite else {
            throw SciLearnError(.numericalFailure, field: "X", "the leave-one-out errors are not finite (a sample has leverage 1)")
        }
        let w = coefficientsFor(alphas[best])
        return Model(alpha: alphas[best], coefficients: w, intercept: data.intercepts(w)[0], bestScore: scores[best],
                     scores: scores, fitIntercept: fitIntercept)
    }

    /// Peak memory and work of a fit on `rows × columns` X with `candidates` alphas.
    public static func estimatedCost(rows n: Int, columns p: Int, candidates a: Int) -> ComputeCost {
        let nd = Double(n), pd = Double(p), ad = Double(a)
        if n > p {
            let blocks = Double(BlockedSum.blockCount(rows: n)) + 1
            let w = pd + 1
            let memory = 8 * (blocks * (w * w + ad) + 6 * pd * pd + Double(Parallel.coreCount) * Double(BlockedSum.blockRows) * (w + pd)) + 100 * pd
            return ComputeCost(memoryBytes: memory, flops: nd * w * w + 9 * pd * pd * pd + nd * pd * (2 * pd + 3 * ad),
                               drivenBy: "X: \(n) rows × \(p) columns")
        }
        let tsqr = LinearRegression.estimatedCost(rows: p, columns: n, fitIntercept: false)
        return ComputeCost(memoryBytes: tsqr.memoryBytes + 8 * (nd * pd + 6 * nd * nd), flops: tsqr.flops + 30 * nd * nd * nd + ad * nd * nd * 4,
                           drivenBy: "X: \(n) rows × \(p) columns")
    }

    /// n > p: eigendecomposition of the centred cross products.
    private func covariance(_ data: CenteredData) throws(SciLearnError) -> ([Double], (Double) -> [Double]) {
        let n = data.rows, p = data.columns, w = p + 1
        let c = try data.crossProducts()
        var v = [Double](repeating: 0, count: p * p)
        for j in 0..<p { for i in 0...j { v[i + j * p] = c[i + j * w] } }
        let b = (0..<p).map { c[$0 + p * w] }   // Xcᵀ yc
        let lambda = try v.withUnsafeMutableBufferPointer { (vp) throws(SciLearnError) in
            try LAPACK.symmetricEigen(n: p, a: vp.baseAddress!, lda: p)
        }
        // Vᵀ b, then per α the coefficients of the fitted values in the basis Z = Xc V.
        let vb = (0..<p).map { k in (0..<p).reduce(0.0) { $0 + v[$1 + k * p] * b[$1] } }
        let alphas = self.alphas
        let shifts = data.augmented
        let vFrozen = v
        let h0 = fitIntercept ? 1 / Double(n) : 0   // the intercept's share of the leverage
        let sums = try BlockedSum.sum(rows: n, size: alphas.count, work: n * p * p) { (block, acc) throws(SciLearnError) in
            let m = block.count
            var rows = [Double](repeating: 0, count: m * w)
            var z = [Double](repeating: 0, count: m * p)
            try CancellationToken.check()
            rows.withUnsafeMutableBufferPointer { rp in
                shifts.fill(block, into: rp.baseAddress!, ld: m)
                vFrozen.withUnsafeBufferPointer { vp in
                    z.withUnsafeMutableBufferPointer { zp in
                        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(p), Int32(p), 1.0,
                                    rp.baseAddress, Int32(m), vp.baseAddress, Int32(p), 0.0, zp.baseAddress, Int32(m))
                    }
                }
            }
            for (a, alpha) in alphas.enumerated() {
                let d = lambda.map { 1 / ($0 + alpha) }
                let coef = (0..<p).map { vb[$0] * d[$0] }
                var total = 0.0
                for i in 0..<m {
                    var fitted = 0.0, h = h0
                    for k in 0..<p {
                        let zik = z[i + k * m]
                        fitted += zik * coef[k]
                        h += zik * zik * d[k]
                    }
                    let e = (rows[i + p * m] - fitted) / (1 - h)
                    total += e * e
                }
                acc[a] += total
            }
        }
        let scores = sums.map { -$0 / Double(n) }
        return (scores, { alpha in
            (0..<p).map { j in (0..<p).reduce(0.0) { $0 + vFrozen[j + $1 * p] * vb[$1] / (lambda[$1] + alpha) } }
        })
    }

    /// n ≤ p: XcXcᵀ = Q Λ Qᵀ from the SVD of the factor of Xcᵀ (scikit-learn's "gram" mode).
    private func gram(_ data: CenteredData) throws(SciLearnError) -> ([Double], (Double) -> [Double]) {
        let n = data.rows, p = data.columns
        let xc = data.centeredX()
        var r = try TallSkinnyQR.r(of: TransposedDesign(x: xc, leadingOnes: false))
        try CancellationToken.check()
        let svd = try r.withUnsafeMutableBufferPointer { (rp) throws(SciLearnError) in
            try LAPACK.svd(n: n, a: rp.baseAddress!, lda: n)
        }
        // Eigenvectors of XcXcᵀ: the columns of V = vtᵀ, so Q[i, k] = vt[k + i·n]; λ = s².
        let lambda = svd.s.map { $0 * $0 }
        let yc = (0..<n).map { data.targets[$0, 0] - data.yMeans[0] }
        let qty = (0..<n).map { k in (0..<n).reduce(0.0) { $0 + svd.vt[k + $1 * n] * yc[$1] } }
        let qt1 = (0..<n).map { k in (0..<n).reduce(0.0) { $0 + svd.vt[k + $1 * n] } }
        func dual(_ alpha: Double) -> (c: [Double], d: [Double]) {
            let dk = lambda.map { 1 / ($0 + alpha) }
            var c = [Double](repeating: 0, count: n), d = [Double](repeating: 0, count: n), g1 = [Double](repeating: 0, count: n)
            for k in 0..<n {
                let a = dk[k] * qty[k], b = dk[k] * qt1[k]
                for i in 0..<n {
                    let q = svd.vt[k + i * n]
                    c[i] += q * a
                    d[i] += q * q * dk[k]
                    g1[i] += q * b
                }
            }
            if fitIntercept { for i in 0..<n { d[i] -= g1[i] / Double(n) } }
            return (c, d)
        }
        var scores: [Double] = []
        for alpha in alphas {
            try CancellationToken.check()
            let (c, d) = dual(alpha)
            var total = 0.0
            for i in 0..<n { let e = c[i] / d[i]; total += e * e }
            scores.append(-total / Double(n))
        }
        return (scores, { alpha in
            let c = dual(alpha).c
            var w = [Double](repeating: 0, count: p)
            xc.withUnsafeBufferPointer { xs in
                c.withUnsafeBufferPointer { cp in
                    w.withUnsafeMutableBufferPointer { wp in
                        cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(p), 1.0, xs.baseAddress, Int32(n),
                                    cp.baseAddress, 1, 0.0, wp.baseAddress, 1)
                    }
                }
            }
            return w
        })
    }
}
