import CLapack

/// Linear least squares `min ‖y − shift − (X − xShift) b‖` (or with an explicit column of
/// ones) by a triangular factor of the augmented matrix `[A y]`: the normal equations only
/// where the design is nearly orthogonal and QR's accuracy is reached with one refinement step,
/// CholeskyQR2 or Householder QR elsewhere (``factorAugmented(_:p:)``).
///
/// Implementation goals, in order of priority:
/// 1. Accuracy to the limit the data allow (NIST StRD): Householder QR of the centred design,
///    then iterative refinement with the residual formed in double-double arithmetic, so the
///    solution error is governed by the data's conditioning rather than by the solver.
/// 2. Rank decisions that neither truncate legitimately ill-conditioned designs (Filip, whose
///    equilibrated condition number is ≈ 4e9) nor miss exactly collinear columns: singular
///    values of the column-equilibrated R, cut at `max(n, p)·ε` (numpy's `matrix_rank` rule,
///    applied after equilibration so that column units do not matter).
/// 3. Speed: BLAS-3 passes over X (Gram products) where the conditioning allows, the
///    tall-skinny QR where it does not, the double-double refinement only where it pays.
enum LeastSquares {
    /// A full-rank solution: coefficients, the triangular factor (for the covariance) and the
    /// residual sum of squares.
    struct FullRank {
        var coefficients: [Double]
        /// Upper-triangular p × p R of the (shifted) design, column-major.
        var r: [Double]
        var residualSumOfSquares: Double
        /// Condition number of the column-equilibrated design (σmax / σmin of scaled R).
        var conditionNumber: Double
    }

    /// A rank-deficient (minimum-norm) solution with the diagonal of its pseudo-inverse
    /// covariance.
    struct MinimumNorm {
        var coefficients: [Double]
        /// diag((AᵀA)⁺) = diag(V Σ⁻² Vᵀ) over the retained singular values (q values): all that
        /// the standard errors need, so the q × q matrix is never formed.
        var normalizedVariances: [Double]
        var residualSumOfSquares: Double
        var rank: Int
    }

    enum Solution {
        case fullRank(FullRank)
        case rankDeficient
    }

    /// Solves the centred (or unshifted) problem when the design has full column rank; reports
    /// rank deficiency instead of solving otherwise.
    ///
    /// - Parameters:
    ///   - xMeans, yMean: the shifts as double-doubles (zeros for no centring); the refinement
    ///     forms residuals against the exact shifted data.
    static func solveFullRank(x: Matrix, y: [Double], xMeans: [DoubleDouble], yMean: DoubleDouble)
        throws(SciLearnError) -> Solution {
        let n = x.rows, p = x.columns
        let design = AugmentedDesign(x: x, y: y, xShift: xMeans.map(\.value), yShift: yMean.value, leadingOnes: false)
        let w = p + 1
        let (raug, method) = try factorAugmented(design, p: p)
        if p == 0 {
            let rho = raug[0]
            return .fullRank(FullRank(coefficients: [], r: [], residualSumOfSquares: rho * rho, conditionNumber: 1))
        }
        var r = [Double](repeating: 0, count: p * p)
        for j in 0..<p { for i in 0...j { r[i + j * p] = raug[i + j * w] } }
        var b = (0..<p).map { raug[$0 + p * w] }
        let rho = raug[p + p * w]

        guard let kappa = try equilibratedCondition(r, p: p),
              1 / kappa > Double(max(n, p)) * Double.ulpOfOne else {
            return .rankDeficient
        }
        triangularSolve(r, p: p, &b, transpose: false)
        var ssr = rho * rho
        // Iterative refinement, where it pays: on an ill-conditioned design (the QR solution's
        // relative error grows like κ·ε), on a near-exact fit (ρ² from the QR carries an
        // absolute error of about ε·‖y − ȳ‖², large relative to a tiny SSR), and on tiny
        // problems, where it costs microseconds. A well-conditioned fit with a real residual is
        // already accurate to a few ulps and skips it (a third of a small job's time).
        let explained = b.indices.reduce(0.0) { $0 + raug[$1 + p * w] * raug[$1 + p * w] }
        let refine = n * p <= 4096 || kappa > refinementConditionThreshold || ssr < 1e-6 * (explained + ssr)
        if method == .gram && !refine {
            // The normal equations' ρ² = ‖y‖² − ‖z‖² cancels (an error of ε·‖y − ȳ‖², as large as
            // κ(A)² times QR's): the residual itself, formed in one pass, gives SSR and one step
            // of refinement brings b to QR's accuracy.
            let (g, rss) = try residualGradient(design, b: b)
            var db = g
            triangularSolve(r, p: p, &db, transpose: true)
            triangularSolve(r, p: p, &db, transpose: false)
            var decrease = 0.0
            for j in 0..<p { b[j] += db[j]; decrease += g[j] * db[j] }
            // ‖r − A δ‖² = ‖r‖² − gᵀδ exactly when AᵀA δ = g.
            ssr = max(0, rss - decrease)
        }
        if refine {
            for _ in 0..<2 {
                let (g, rss) = try refinementGradient(x: x, y: y, xMeans: xMeans, yMean: yMean, b: b)
                ssr = rss
                var db = g
                triangularSolve(r, p: p, &db, transpose: true)
                triangularSolve(r, p: p, &db, transpose: false)
                var change = 0.0, size = 0.0
                for j in 0..<p {
                    b[j] += db[j]
                    change = max(change, abs(db[j])); size = max(size, abs(b[j]))
                }
                if change <= Double.ulpOfOne * size { break }
            }
            ssr = try refinementGradient(x: x, y: y, xMeans: xMeans, yMean: yMean, b: b).rss
        }
        return .fullRank(FullRank(coefficients: b, r: r, residualSumOfSquares: ssr, conditionNumber: kappa))
    }

    /// The minimum-norm solution of `min ‖y − A b‖` for `A = [1?, X]` (uncentred, as statsmodels'
    /// pinv sees it), by the SVD of the tall-skinny R: A = Q R, R = U Σ Vᵀ.
    static func solveMinimumNorm(x: Matrix, y: [Double], leadingOnes: Bool) throws(SciLearnError) -> MinimumNorm {
        let n = x.rows
        let design = AugmentedDesign(x: x, y: y, xShift: [Double](repeating: 0, count: x.columns), yShift: 0, leadingOnes: leadingOnes)
        let w = design.width, q = w - 1
        let raug = try TallSkinnyQR.r(of: design)
        var r = [Double](repeating: 0, count: q * q)
        for j in 0..<q { for i in 0...j { r[i + j * q] = raug[i + j * w] } }
        let z = (0..<q).map { raug[$0 + q * w] }
        let rho = raug[q + q * w]
        try CancellationToken.check()
        let svd = try r.withUnsafeMutableBufferPointer { (rp) throws(SciLearnError) in
            try LAPACK.svd(n: q, a: rp.baseAddress!, lda: q)
        }
        try CancellationToken.check()
        let smax = svd.s.first ?? 0
        let tol = smax * Double(max(n, q)) * Double.ulpOfOne
        let rank = svd.s.filter { $0 > tol }.count
        var b = [Double](repeating: 0, count: q)
        var variances = [Double](repeating: 0, count: q)
        var ssr = rho * rho
        for k in 0..<q {
            var uz = 0.0
            for i in 0..<q { uz += svd.u[i + k * q] * z[i] }
            if k >= rank { ssr += uz * uz; continue }
            let s = svd.s[k]
            for j in 0..<q {
                let v = svd.vt[k + j * q]
                b[j] += v * uz / s
                variances[j] += v * v / (s * s)
            }
        }
        return MinimumNorm(coefficients: b, normalizedVariances: variances, residualSumOfSquares: ssr, rank: rank)
    }

    /// Refinement runs above this equilibrated condition number (see `solveFullRank`).
    static let refinementConditionThreshold = 1e2

    /// The minimum-norm solution of `min ‖y − A b‖` for a wide `A = [1?, X]` (fewer rows than
    /// terms, so rank-deficient by shape), from A's LQ factorisation: the tall-skinny QR of Aᵀ
    /// gives `A = Rᵀ Qᵀ`, whose n × n factor Rᵀ has A's singular values σ and left singular
    /// vectors U (Q is never formed). With `V_r = Aᵀ U_r Σ_r⁻¹` over the retained values,
    /// `b = Aᵀ U_r Σ_r⁻² U_rᵀ y` and `diag((AᵀA)⁺)_j = Σ_k (Aᵀ U_r)_jk² / σ_k⁴`. A design of full
    /// row rank and condition ≤ ``wideSeminormalConditionLimit`` (the usual wide design) needs
    /// no singular vectors: see ``solveFullRowRank(x:y:leadingOnes:r:)``.
    ///
    /// Every step but `dbdsdc` on the n × n bidiagonal is cut into pieces of at most ~10⁸ flops
    /// with a cancellation check between them (the QR's row blocks, the bidiagonal reduction's
    /// panels, the back-transformation's column blocks, the products with Aᵀ by blocks of
    /// terms), where a single `dgesdd` of the n × q matrix ran for seconds at the cost limit.
    /// The cost follows the data's shape: O(n²q) time, O(nq) memory.
    static func solveMinimumNormWide(x: Matrix, y: [Double], leadingOnes: Bool) throws(SciLearnError) -> MinimumNorm {
        let n = x.rows, p = x.columns, offset = leadingOnes ? 1 : 0, q = p + offset
        let r = try TallSkinnyQR.r(of: TransposedDesign(x: x, leadingOnes: leadingOnes))
        // Rᵀ, lower triangular, column-major.
        var lower = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0...j { lower[j + i * n] = r[i + j * n] } }
        var scratch = lower
        let values = try scratch.withUnsafeMutableBufferPointer { (sp) throws(SciLearnError) in
            try LAPACK.singularValues(n: n, a: sp.baseAddress!, lda: n)
        }
        let smax = values.first ?? 0
        let tol = smax * Double(max(n, q)) * Double.ulpOfOne
        let rank = values.filter { $0 > tol }.count
        if rank == n, let smin = values.last, smax / smin <= wideSeminormalConditionLimit {
            return try solveFullRowRank(x: x, y: y, leadingOnes: leadingOnes, r: r)
        }
        let (s, u) = try lower.withUnsafeMutableBufferPointer { (lp) throws(SciLearnError) in
            try LAPACK.leftSingularVectors(n: n, a: lp.baseAddress!, lda: n)
        }
        // W = [U_r, t] with t = U_r Σ_r⁻² U_rᵀ y: one product with Aᵀ gives both (Aᵀ U_r) and b.
        let w = rank + 1
        var wm = [Double](repeating: 0, count: n * w)
        for k in 0..<rank {
            var uy = 0.0
            for i in 0..<n { uy += u[i + k * n] * y[i] }
            let f = uy / (s[k] * s[k])
            for i in 0..<n {
                wm[i + k * n] = u[i + k * n]
                wm[i + rank * n] += u[i + k * n] * f
            }
        }
        let inverseFourth = (0..<rank).map { 1 / (s[$0] * s[$0] * s[$0] * s[$0]) }
        // Terms in blocks of about 10⁸ flops of product each, on the engine's threads.
        let block = max(1, min(4096, (1 << 26) / max(1, n * w)))
        let blocks = (q + block - 1) / block
        let wmc = wm
        let pieces = try Parallel.map(blocks, work: n * q * w) { (k: Int) throws(SciLearnError) -> [Double] in
            // Per term: its coefficient, then its variance.
            let lo = k * block, hi = min(q, lo + block), m = hi - lo
            var product = [Double](repeating: 0, count: m * w)   // (A[:, lo..<hi])ᵀ W, m × w
            var first = lo
            if lo < offset {
                // The column of ones: its products are W's column sums.
                for c in 0..<w {
                    var sum = 0.0
                    for i in 0..<n { sum += wmc[i + c * n] }
                    product[0 + c * m] = sum
                }
                first = offset
            }
            if first < hi {
                let rowsInProduct = hi - first
                x.withUnsafeBufferPointer { xs in
                    wmc.withUnsafeBufferPointer { wp in
                        product.withUnsafeMutableBufferPointer { pp in
                            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(rowsInProduct), Int32(w), Int32(n), 1,
                                        xs.baseAddress! + (first - offset) * x.leadingDimension, Int32(x.leadingDimension),
                                        wp.baseAddress!, Int32(n), 0, pp.baseAddress! + (first - lo), Int32(m))
                        }
                    }
                }
            }
            var out = [Double](repeating: 0, count: 2 * m)
            for j in 0..<m {
                out[j] = product[j + rank * m]
                var v = 0.0
                for c in 0..<rank { v += product[j + c * m] * product[j + c * m] * inverseFourth[c] }
                out[m + j] = v
            }
            return out
        }
        var b = [Double](repeating: 0, count: q)
        var variances = [Double](repeating: 0, count: q)
        for (k, piece) in pieces.enumerated() {
            let lo = k * block, m = min(q, lo + block) - lo
            for j in 0..<m {
                b[lo + j] = piece[j]
                variances[lo + j] = piece[m + j]
            }
        }
        try CancellationToken.check()
        // The residual directly (the SVD's complement is not formed for a wide matrix).
        var ssr = 0.0
        for i in 0..<n {
            var fit = leadingOnes ? b[0] : 0
            x.withUnsafeBufferPointer { xs in
                for j in 0..<p { fit += xs[i + j * x.leadingDimension] * b[j + offset] }
            }
            let r = y[i] - fit
            ssr += r * r
        }
        return MinimumNorm(coefficients: b, normalizedVariances: variances, residualSumOfSquares: ssr, rank: rank)
    }

    /// Above this condition number a full-row-rank wide design goes through the singular vectors
    /// rather than the corrected seminormal equations (whose error after two corrections is
    /// about (κ²ε)³ relative: 1e-24 at κ = 10⁴).
    static let wideSeminormalConditionLimit = 1e4

    /// The minimum-norm solution for a wide design of full row rank n, by the corrected
    /// seminormal equations (Björck): with `Aᵀ = Q R`, `b = Aᵀ z` where `Rᵀ R z = y`, then two
    /// corrections `b += Aᵀ R⁻¹ R⁻ᵀ (y − A b)`. The fit is exact (residual zero in exact
    /// arithmetic, df_resid = 0), so the variances, which nothing then uses, are not formed
    /// (zeros). O(nq) beyond the QR, in pieces with a cancellation check between them.
    private static func solveFullRowRank(x: Matrix, y: [Double], leadingOnes: Bool, r: [Double]) throws(SciLearnError) -> MinimumNorm {
        let n = x.rows, q = x.columns + (leadingOnes ? 1 : 0)
        func seminormal(_ v: [Double]) -> [Double] {
            var z = v
            triangularSolve(r, p: n, &z, transpose: true)
            triangularSolve(r, p: n, &z, transpose: false)
            return z
        }
        var b = try WideProducts.transposeTimes(x, leadingOnes: leadingOnes, seminormal(y))
        for _ in 0..<2 {
            let fit = try WideProducts.times(x, leadingOnes: leadingOnes, b)
            let correction = try WideProducts.transposeTimes(x, leadingOnes: leadingOnes, seminormal(zip(y, fit).map { $0 - $1 }))
            for j in 0..<q { b[j] += correction[j] }
        }
        let fit = try WideProducts.times(x, leadingOnes: leadingOnes, b)
        let ssr = zip(y, fit).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return MinimumNorm(coefficients: b, normalizedVariances: [Double](repeating: 0, count: q), residualSumOfSquares: ssr, rank: n)
    }

    // MARK: - Pieces

    /// σmax/σmin of R with unit-norm columns, or nil (infinite) when a column is zero.
    static func equilibratedCondition(_ r: [Double], p: Int) throws(SciLearnError) -> Double? {
        var scaled = r
        for j in 0..<p {
            // dnrm2 scales internally: no overflow or underflow for extreme magnitudes.
            let norm = r.withUnsafeBufferPointer { cblas_dnrm2(Int32(j + 1), $0.baseAddress! + j * p, 1) }
            if norm == 0 || !norm.isFinite { return nil }
            for i in 0...j { scaled[i + j * p] /= norm }
        }
        let s = try scaled.withUnsafeMutableBufferPointer { (sp) throws(SciLearnError) in
            try LAPACK.singularValues(n: p, a: sp.baseAddress!, lda: p)
        }
        guard let smin = s.last, smin > 0 else { return nil }
        return s[0] / smin
    }

    /// Solves `R v = b` (or `Rᵀ v = b`) in place, R upper triangular p × p.
    static func triangularSolve(_ r: [Double], p: Int, _ b: inout [Double], transpose: Bool) {
        r.withUnsafeBufferPointer { rp in
            b.withUnsafeMutableBufferPointer { bp in
                cblas_dtrsv(CblasColMajor, CblasUpper, transpose ? CblasTrans : CblasNoTrans, CblasNonUnit,
                            Int32(p), rp.baseAddress, Int32(p), bp.baseAddress, 1)
            }
        }
    }

    /// The residual `r = (y − ȳ) − (X − x̄) b` and `g = (X − x̄)ᵀ r`, both formed in double-double
    /// against the exact shifted data; returns `g` and ‖r‖². Checks for cancellation every
    /// ~10⁶ elements.
    private static func refinementGradient(x: Matrix, y: [Double], xMeans: [DoubleDouble], yMean: DoubleDouble,
                                           b: [Double]) throws(SciLearnError) -> (g: [Double], rss: Double) {
        let n = x.rows, p = x.columns, ld = x.leadingDimension
        var hi = [Double](repeating: 0, count: n)
        var lo = [Double](repeating: 0, count: n)
        var residual = [Double](repeating: 0, count: n)
        var g = [Double](repeating: 0, count: p)
        var rss = 0.0
        let checkEvery = max(1, (1 << 20) / max(1, n))
        try x.withUnsafeBufferPointer { (xs) throws(SciLearnError) in
            for i in 0..<n {
                let v = DoubleDouble.twoSum(y[i], -yMean.hi) + (-yMean.lo)
                hi[i] = v.hi; lo[i] = v.lo
            }
            for j in 0..<p {
                if j % checkEvery == 0 { try CancellationToken.check() }
                let m = xMeans[j], bj = b[j]
                let col = xs.baseAddress! + j * ld
                for i in 0..<n {
                    let d = DoubleDouble.twoSum(col[i], -m.hi) + (-m.lo)
                    let acc = DoubleDouble(hi[i], lo[i]) + (-(d * bj))
                    hi[i] = acc.hi; lo[i] = acc.lo
                }
            }
            for i in 0..<n {
                residual[i] = hi[i] + lo[i]
                rss += residual[i] * residual[i]
            }
            for j in 0..<p {
                if j % checkEvery == 0 { try CancellationToken.check() }
                let m = xMeans[j]
                let col = xs.baseAddress! + j * ld
                var acc = DoubleDouble(0)
                for i in 0..<n {
                    let d = DoubleDouble.twoSum(col[i], -m.hi) + (-m.lo)
                    acc = acc + d * residual[i]
                }
                g[j] = acc.value
            }
        }
        return (g, rss)
    }
}
