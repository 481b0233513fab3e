#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLapack
import CKernels

/// The penalised multinomial log-loss of logistic regression with its gradient and Hessian, in
/// one blocked pass over X.
///
/// Coefficients live in a reduced space: `W = B Θ` (K classes × q terms, q = p + 1 with an
/// intercept, stored last), with B a K × r basis:
/// - two classes: B = [0; 1], r = 1, so class 0's scores are 0 and class 1's are xᵀθ: the
///   sigmoid model of scikit-learn's binary logistic regression, penalised by ‖θ‖²;
/// - K ≥ 3: the orthonormal Helmert basis of vectors summing to zero, r = K − 1: the
///   multinomial model with W's rows summing to zero (where scikit-learn's L-BFGS, started at
///   zero, stays), penalised by ‖W‖² = ‖Θ‖².
///
/// f(Θ) = Σᵢ sᵢ·(logsumexp(ηᵢ) − ηᵢ,yᵢ) + ½λ‖Θ without intercepts‖² (s the sample weights,
/// λ = 1/C or 0). The Hessian is Σᵢ x̃ᵢx̃ᵢᵀ ⊗ sᵢBᵀ(diag μᵢ − μᵢμᵢᵀ)B: a BLAS-3 product per pair
/// of basis directions, on row buffers that stay in cache.
struct LogisticLoss: Sendable {
    let x: Matrix
    let labels: [Int]
    let weights: [Double]
    let classes: Int
    let fitIntercept: Bool
    let lambda: Double

    var features: Int { x.columns }
    var terms: Int { x.columns + (fitIntercept ? 1 : 0) }
    var directions: Int { classes == 2 ? 1 : classes - 1 }
    /// Length of Θ.
    var size: Int { directions * terms }

    /// B (K × r, row-major: b[k·r + a]).
    var basis: [Double] { Self.basis(classes: classes) }

    /// B for `classes` classes (K × r, row-major).
    static func basis(classes k: Int) -> [Double] {
        let r = k == 2 ? 1 : k - 1
        if k == 2 { return [0, 1] }
        var b = [Double](repeating: 0, count: k * r)
        for a in 0..<r {
            let norm = (Double((a + 1) * (a + 2))).squareRoot()
            for c in 0...a { b[c * r + a] = 1 / norm }
            b[(a + 1) * r + a] = -Double(a + 1) / norm
        }
        return b
    }

    /// W = B Θ as K × q, row-major (w[k·q + j]).
    func weightsMatrix(_ theta: [Double]) -> [Double] {
        let k = classes, r = directions, q = terms, b = basis
        var w = [Double](repeating: 0, count: k * q)
        for c in 0..<k { for a in 0..<r where b[c * r + a] != 0 { for j in 0..<q { w[c * q + j] += b[c * r + a] * theta[a * q + j] } } }
        return w
    }

    /// out = [x·w, w] (rows × (columns + 1), or without the last column when `ones` is false):
    /// each row of x (column-major, leading dimension `ld`) times wᵢ, or times √max(0, wᵢ) when
    /// `root` is given as scratch; `out` has leading dimension `rows`.
    @inline(__always)
    static func scaleRows(_ x: UnsafePointer<Double>, ld: Int, into out: UnsafeMutablePointer<Double>, rows: Int, columns: Int,
                          ones: Bool, by w: UnsafePointer<Double>, root: UnsafeMutablePointer<Double>?) {
        var factor = w
        if let root {
            for i in 0..<rows { root[i] = Swift.max(0, w[i]).squareRoot() }
            factor = UnsafePointer(root)
        }
        for j in 0..<columns {
            let src = x + j &* ld, dst = out + j &* rows
            for i in 0..<rows { dst[i] = src[i] * factor[i] }
        }
        if ones {
            let dst = out + columns &* rows
            for i in 0..<rows { dst[i] = factor[i] }
        }
    }

    struct Evaluation {
        var value: Double
        /// ∂f/∂Θ (length r·q).
        var gradient: [Double]
        /// ∂²f/∂Θ² (size × size, column-major, both triangles).
        var hessian: [Double]
        /// max |∂f/∂W| over the full K × q gradient (what scikit-learn's `gtol` is tested on,
        /// before dividing by the sum of weights).
        var fullGradientMax: Double
        /// Samples whose own class has probability within 1e-10 of 1.
        var certain: Int
        /// The unpenalised log-likelihood Σᵢ log μᵢ,yᵢ (unweighted).
        var logLikelihood: Double
        /// What a problem's Newton step needs beyond the gradient (the wide solver's residuals
        /// in samples' space); empty for this one.
        var residuals: [Double] = []
        /// Whether `hessian` was formed from a quarter of the rows.
        var sampledHessian = false
    }

    /// Rows per buffer: as many as keep the scaled rows near 1 MiB (2¹⁷ doubles) and the whole
    /// scratch of a block (``Scratch``) near 2 MiB (2¹⁸ doubles, however many classes: the r × r
    /// Hessian weights per row grow with their square), at least 32, and no more than there are
    /// rows. Depends on the shape only, so results are the same on every machine.
    static func bufferRows(rows n: Int, terms q: Int, classes k: Int) -> Int {
        let r = k == 2 ? 1 : k - 1
        let step = max(32, min(BlockedSum.blockRows, (1 << 17) / max(1, q), (1 << 18) / (k + r * r + q + 1)))
        return max(1, min(step, n))
    }

    /// Doubles of one block's ``Scratch``.
    static func scratchSize(rows n: Int, terms q: Int, classes k: Int) -> Int {
        let r = k == 2 ? 1 : k - 1, step = bufferRows(rows: n, terms: q, classes: k)
        let stride = Scratch.packedStride(q)
        return step * (k + r * r + 1 + q) + k + Scratch.packedRows * (stride + 3) + stride * stride
    }

    /// The partial sums' layout: [loss, loglik, certain, G_W (q × K, column-major), H (m × m)].
    struct Layout {
        let q: Int, k: Int, m: Int
        let hessian: Bool
        /// Where G_W starts.
        var gradient: Int { 3 }
        /// Where H starts.
        var hessianOffset: Int { 3 + q * k }
        var size: Int { hessianOffset + (hessian ? m * m : 0) }
    }

    /// One buffer of rows in place: X's rows `first ..< first + count` (column-major, leading
    /// dimension `ld`), with their labels and sample weights, and W (K × q, row-major).
    struct Rows {
        let x: UnsafePointer<Double>
        let ld: Int
        let count: Int
        let labels: UnsafePointer<Int>
        let weights: UnsafePointer<Double>
        let w: UnsafePointer<Double>
        /// X's row index of the buffer's first row.
        let first: Int
    }

    /// The scratch of one block of rows: scores, then residuals (step × K), one sample's μ, the
    /// r × r Hessian weights per sample, square roots, and the scaled rows (step × q).
    /// For two classes on packed rows (``binaryPackedRows(_:_:gradient:hessian:)``):
    /// `packedRows` rows of [X, 1] packed row-major (stride q rounded up to 4, padding zero),
    /// their stride × stride Gram product, and the chunk's scores, residuals and √weights.
    final class Scratch {
        let eta, mu, pair, root, scaled, packed, gram, chunk: UnsafeMutablePointer<Double>

        /// Rows packed per Gram kernel call: 64 rows of up to 128 terms stay in L1 and L2 (on W3
        /// 64 rows measured 8-25 % faster than 128, whose 53 KB spilled out of L1).
        static let packedRows = 64
        static func packedStride(_ q: Int) -> Int { (q + 3) / 4 * 4 }

        /// With `packed` (the binary path on packed rows) the column-major buffers are not used
        /// and stay one element each; otherwise the packed ones are.
        init(step: Int, q: Int, k: Int, r: Int, packed onPackedRows: Bool) {
            let stride = Self.packedStride(q)
            let sizes = onPackedRows
                ? [1, 1, 1, 1, 1, Self.packedRows * stride, stride * stride, 3 * Self.packedRows]
                : [step * k, k, step * r * r, step, step * q, 1, 1, 1]
            let buffers = sizes.map { n -> UnsafeMutablePointer<Double> in
                let b = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, n))
                b.initialize(repeating: 0, count: Swift.max(1, n))
                return b
            }
            (eta, mu, pair, root, scaled) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4])
            (packed, gram, chunk) = (buffers[5], buffers[6], buffers[7])
        }

        deinit { for b in [eta, mu, pair, root, scaled, packed, gram, chunk] { b.deallocate() } }
    }

    /// What a buffer of rows adds to the scalar partial sums.
    struct RowSums {
        var loss = 0.0
        var logLikelihood = 0.0
        var certain = 0.0
    }

    /// f, its gradient and Hessian at Θ (the Hessian only when `hessian`), in one blocked pass
    /// over X: each buffer of rows goes through its path (``binaryRows(_:_:gradient:)`` or
    /// ``multinomialRows(_:_:gradient:hessian:)``), then, when wanted, ``hessianRows(_:_:into:)``;
    /// ``finish(_:theta:layout:)`` adds the penalty and checks the result.
    func evaluate(_ theta: [Double], hessian wantHessian: Bool = true) throws(SciLearnError) -> Evaluation {
        try evaluate(theta, hessian: wantHessian, sampledHessian: false)
    }

    /// Two classes, at most ``gramKernelWidth`` terms and at least 200 rows a term: a quarter of
    /// the rows still gives the Hessian 50 rows a term.
    var canSampleHessian: Bool { classes == 2 && terms <= Self.gramKernelWidth && x.rows >= 200 * terms }

    /// ``evaluate(_:hessian:)``; with `sampledHessian` (where ``canSampleHessian``) the Hessian is
    /// formed from about a quarter of the rows: the chunks of ``Scratch/packedRows`` rows whose
    /// first row's index over 64 is a multiple of four (X's row index, so the same rows at any
    /// thread count), each weighted by four.
    func evaluate(_ theta: [Double], hessian wantHessian: Bool, sampledHessian: Bool) throws(SciLearnError) -> Evaluation {
        let sampled = sampledHessian && wantHessian && canSampleHessian
        let n = x.rows, q = terms, k = classes, r = directions
        let layout = Layout(q: q, k: k, m: size, hessian: wantHessian)
        let w = weightsMatrix(theta)
        let step = Self.bufferRows(rows: n, terms: q, classes: k)
        let packed = k == 2 && q <= Self.gramKernelWidth
        let total = try BlockedSum.sum(rows: n, size: layout.size, work: n * q * (wantHessian ? q * r * r : k)) { (block, acc) throws(SciLearnError) in
            let scratch = Scratch(step: step, q: q, k: k, r: r, packed: packed)
            try withPointers(w, &acc) { (x0, labels, weights, wp, ap) throws(SciLearnError) in
                try CancellableBlocks.forEach(count: block.count, step: step) { (sub) throws(SciLearnError) in
                    let lo = block.lowerBound + sub.lowerBound
                    let rows = Rows(x: x0 + lo, ld: x.leadingDimension, count: sub.count, labels: labels + lo, weights: weights + lo, w: wp,
                                    first: lo)
                    let sums = packed
                        ? binaryPackedRows(rows, scratch, gradient: ap + layout.gradient, hessian: wantHessian ? ap + layout.hessianOffset : nil,
                                           sampled: sampled)
                        : k == 2
                        ? binaryRows(rows, scratch, gradient: ap + layout.gradient)
                        : multinomialRows(rows, scratch, gradient: ap + layout.gradient, hessian: wantHessian)
                    ap[0] += sums.loss
                    ap[1] += sums.logLikelihood
                    ap[2] += sums.certain
                    if wantHessian && !packed { hessianRows(rows, scratch, into: ap + layout.hessianOffset) }
                }
            }
        }
        var evaluation = try finish(total, theta: theta, layout: layout)
        evaluation.sampledHessian = sampled
        return evaluation
    }

    /// The base addresses of X, the labels, the sample weights, W and a block's partial sums.
    private func withPointers(_ w: [Double], _ acc: inout [Double],
                              _ body: (UnsafePointer<Double>, UnsafePointer<Int>, UnsafePointer<Double>, UnsafePointer<Double>,
                                       UnsafeMutablePointer<Double>) throws(SciLearnError) -> Void) throws(SciLearnError) {
        try x.withUnsafeBufferPointer { (xs) throws(SciLearnError) in
            try labels.withUnsafeBufferPointer { (lp) throws(SciLearnError) in
                try weights.withUnsafeBufferPointer { (sp) throws(SciLearnError) in
                    try w.withUnsafeBufferPointer { (wp) throws(SciLearnError) in
                        try acc.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
                            try body(xs.baseAddress!, lp.baseAddress!, sp.baseAddress!, wp.baseAddress!, ap.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    /// One sample of two classes at score t: μ₀ and μ₁ = σ(t), and its log-loss softplus(t) − y·t
    /// (each side formed without cancellation) added to `sums`, weighted by `weight`, with the
    /// sample counted as certain when its own class has probability within 1e-10 of 1.
    @inline(__always)
    static func binaryTerms(score t: Double, label y: Int, weight s: Double, into sums: inout RowSums) -> (Double, Double) {
        let z = exp(-abs(t)), u = 1 + z
        let mu1 = t >= 0 ? 1 / u : z / u
        let mu0 = t >= 0 ? z / u : 1 / u
        // log1p(z) by Kahan's formula log(u)·z/(u − 1), accurate to a few ulps for z in (0, 1]
        // and half the time of glibc's log1p (11 % of W3's fit in a profile).
        let l1p = u == 1 ? z : log(u) * (z / (u - 1))
        let li = Swift.max(t, 0) + l1p - (y == 1 ? t : 0)
        sums.loss += s * li
        sums.logLikelihood -= li
        if (y == 1 ? mu0 : mu1) < 1e-10 { sums.certain += 1 }
        return (mu0, mu1)
    }

    /// One sample of K classes at scores `scores[c·stride]`: μ = softmax (into `mu`), and its
    /// log-loss logsumexp(η) − η_y (shifted by the largest score) added to `sums`, weighted by
    /// `weight`, with the sample counted as certain when its own class has probability within
    /// 1e-10 of 1.
    @inline(__always)
    static func softmaxTerms(scores e: UnsafePointer<Double>, stride n: Int, classes k: Int, label y: Int, weight s: Double,
                             mu: UnsafeMutablePointer<Double>, into sums: inout RowSums) {
        var top = -Double.infinity
        for c in 0..<k { top = Swift.max(top, e[c * n]) }
        var sum = 0.0
        for c in 0..<k { let v = exp(e[c * n] - top); mu[c] = v; sum += v }
        let lse = top + log(sum)
        let li = lse - e[y * n]
        sums.loss += s * li
        sums.logLikelihood -= li
        for c in 0..<k { mu[c] /= sum }
        if 1 - mu[y] < 1e-10 { sums.certain += 1 }
    }

    /// Two classes (B = [0; 1]): class 0 scores 0 and class 1 xᵀθ, so one GEMV gives the scores
    /// and one the gradient. Leaves the residuals E = s(μ − Y) in `eta` and s·μ₁μ₀ in `pair`.
    private func binaryRows(_ rows: Rows, _ scratch: Scratch, gradient g: UnsafeMutablePointer<Double>) -> RowSums {
        let n = rows.count, p = features, q = terms, e = scratch.eta
        for i in 0..<(2 * n) { e[i] = 0 }
        if p > 0 {
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(p), 1.0, rows.x, Int32(rows.ld), rows.w + q, 1, 0.0, e + n, 1)
        }
        if fitIntercept { for c in 0..<2 { let bc = rows.w[c * q + p]; for i in 0..<n { e[i + c * n] += bc } } }
        var sums = RowSums()
        for i in 0..<n {
            let y = rows.labels[i], s = rows.weights[i]
            let (mu0, mu1) = Self.binaryTerms(score: e[i + n], label: y, weight: s, into: &sums)
            e[i] = s * (mu0 - (y == 0 ? 1 : 0))
            e[i + n] = s * (mu1 - (y == 1 ? 1 : 0))
            scratch.pair[i] = s * mu1 * mu0
        }
        // G_W += X̃ᵀ E: E's columns are opposite, so one GEMV and its negation; the intercept's
        // row as column sums of E.
        if p > 0 {
            cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(p), 1.0, rows.x, Int32(rows.ld), e + n, 1, 1.0, g + q, 1)
            for j in 0..<p { g[j] = -g[q + j] }
        }
        if fitIntercept { for c in 0..<2 { var t = 0.0; for i in 0..<n { t += e[i + c * n] }; g[p + c * q] += t } }
        return sums
    }

    /// Two classes with at most ``gramKernelWidth`` terms, X read from memory once: each chunk of
    /// ``Scratch/packedRows`` rows is packed row-major as [x, 1] (`scilearn_pack_rows`), and
    /// while it is in cache gives the scores (`scilearn_row_dots` with class 1's row of W), the
    /// gradient (`scilearn_rows_transpose_times` with the residuals s(μ₁ − y₁)) and, when
    /// wanted, the Hessian [√w·X, √w]ᵀ[√w·X, √w] (rows scaled in place, the register-tiled
    /// Gram kernel). `binaryRows` with `hessianRows` read X three times (two GEMVs and the scaled
    /// copy): `Docs/benchmarks.md` has the W3 figures.
    private func binaryPackedRows(_ rows: Rows, _ scratch: Scratch, gradient g: UnsafeMutablePointer<Double>,
                                  hessian h: UnsafeMutablePointer<Double>?, sampled: Bool) -> RowSums {
        let n = rows.count, p = features, q = terms, m = size
        let stride = Scratch.packedStride(q), chunk = Scratch.packedRows
        let packed = scratch.packed, gram = scratch.gram
        let t = scratch.chunk, e = scratch.chunk + chunk, root = scratch.chunk + 2 * chunk
        if h != nil { gram.update(repeating: 0, count: stride * stride) }
        var sums = RowSums()
        var start = 0
        while start < n {
            let count = Swift.min(chunk, n - start)
            scilearn_pack_rows(rows.x, rows.ld, p, nil, start, count, packed, stride, 0)
            if fitIntercept { for i in 0..<count { packed[i * stride + p] = 1 } }
            // Class 1's scores xᵀw₁ + b₁ (class 0 scores 0).
            scilearn_row_dots(packed, count, stride, q, rows.w + q, t)
            var partial = (sums.loss, sums.logLikelihood, sums.certain)
            withUnsafeMutableBytes(of: &partial) { bytes in
                scilearn_binary_terms(t, rows.labels + start, rows.weights + start, count, e, root,
                                      bytes.baseAddress!.assumingMemoryBound(to: Double.self))
            }
            sums = RowSums(loss: partial.0, logLikelihood: partial.1, certain: partial.2)
            scilearn_rows_transpose_times(packed, count, stride, q, e, g + q)
            if h != nil && (!sampled || ((rows.first + start) / chunk) % 4 == 0) {
                // A sampled chunk stands for four: its rows weighted by 4 (√w by 2, exactly).
                if sampled { for i in 0..<count { root[i] *= 2 } }
                scilearn_scale_rows(packed, count, stride, q, root)
                scilearn_gram_accumulate(packed, count, stride, gram)
            }
            start += count
        }
        // Class 0's row of G_W (B = [0; 1] never reads it) kept opposite, as binaryRows leaves it.
        for j in 0..<q { g[j] = -g[q + j] }
        if let h { for k in 0..<q { for j in 0...k { h[j + k * m] += gram[j * stride + k] } } }
        return sums
    }

    /// K ≥ 3 classes: scores by one GEMM, softmax, the residuals E = s(μ − Y) left in `eta`,
    /// and (when `hessian`) the r × r weights s·Bᵀ(diag μ − μμᵀ)B of each sample in `pair`.
    private func multinomialRows(_ rows: Rows, _ scratch: Scratch, gradient g: UnsafeMutablePointer<Double>, hessian: Bool) -> RowSums {
        let n = rows.count, p = features, q = terms, k = classes, r = directions, b = basis
        let e = scratch.eta, mu = scratch.mu, pr = scratch.pair
        if p > 0 {
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(k), Int32(p), 1.0,
                        rows.x, Int32(rows.ld), rows.w, Int32(q), 0.0, e, Int32(n))
        } else {
            for i in 0..<(n * k) { e[i] = 0 }
        }
        if fitIntercept { for c in 0..<k { let bc = rows.w[c * q + p]; for i in 0..<n { e[i + c * n] += bc } } }
        var sums = RowSums()
        for i in 0..<n {
            let y = rows.labels[i], s = rows.weights[i]
            Self.softmaxTerms(scores: e + i, stride: n, classes: k, label: y, weight: s, mu: mu, into: &sums)
            for c in 0..<k { e[i + c * n] = s * (mu[c] - (c == y ? 1 : 0)) }
            guard hessian else { continue }
            // s·Bᵀ(diag μ − μμᵀ)B, upper triangle, a ≤ b.
            for a in 0..<r {
                var bmuA = 0.0
                for c in 0..<k { bmuA += b[c * r + a] * mu[c] }
                for bb in a..<r {
                    var diag = 0.0, bmuB = 0.0
                    for c in 0..<k { diag += b[c * r + a] * b[c * r + bb] * mu[c]; bmuB += b[c * r + bb] * mu[c] }
                    pr[i + (a * r + bb) * n] = s * (diag - bmuA * bmuB)
                }
            }
        }
        // G_W += X̃ᵀ E (q × K): the slopes' rows by GEMM on X in place, the intercept's row as
        // column sums of E.
        if p > 0 {
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(k), Int32(n), 1.0,
                        rows.x, Int32(rows.ld), e, Int32(n), 1.0, g, Int32(q))
        }
        if fitIntercept { for c in 0..<k { var t = 0.0; for i in 0..<n { t += e[i + c * n] }; g[p + c * q] += t } }
        return sums
    }

    /// H += Σᵢ x̃ᵢx̃ᵢᵀ ⊗ wᵢ over the buffer, wᵢ the r × r weights in `pair`: for each pair of
    /// basis directions a ≤ b, one BLAS-3 product on the scaled rows (a symmetric `dsyrk` of
    /// [√w·X, √w] on the diagonal, [X, 1]ᵀ·[w·X, w] off it).
    private func hessianRows(_ rows: Rows, _ scratch: Scratch, into h0: UnsafeMutablePointer<Double>) {
        let n = rows.count, p = features, q = terms, r = directions, m = size
        let sp = scratch.scaled
        for a in 0..<r {
            for bb in a..<r {
                let weights = UnsafePointer(scratch.pair + (a * r + bb) * n)
                let h = h0 + (a * q) + (bb * q) * m
                if a == bb {
                    // Non-negative weights (up to rounding, clamped): √ scaling and one symmetric update.
                    Self.scaleRows(rows.x, ld: rows.ld, into: sp, rows: n, columns: p, ones: fitIntercept, by: weights, root: scratch.root)
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(q), Int32(n), 1.0, sp, Int32(n), 1.0, h, Int32(m))
                } else {
                    Self.scaleRows(rows.x, ld: rows.ld, into: sp, rows: n, columns: p, ones: fitIntercept, by: weights, root: nil)
                    if p > 0 {
                        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(q), Int32(n), 1.0,
                                    rows.x, Int32(rows.ld), sp, Int32(n), 1.0, h, Int32(m))
                    }
                    if fitIntercept {
                        for j in 0..<q { var t = 0.0; for i in 0..<n { t += sp[i + j * n] }; h[p + j * m] += t }
                    }
                }
            }
        }
    }

    /// Terms up to which the binary Hessian runs on the Gram kernel (the width of
    /// `TallRows.crossProduct()`'s).
    static let gramKernelWidth = 128

    /// The Θ-gradient (G_Θ = Bᵀ G_W), the penalty on the coefficients, the full gradient's
    /// largest entry for the stopping test, the mirrored Hessian; `numericalFailure` when any
    /// of them overflowed.
    private func finish(_ total: [Double], theta: [Double], layout: Layout) throws(SciLearnError) -> Evaluation {
        let p = features, q = terms, k = classes, r = directions, m = size, b = basis
        var gradient = [Double](repeating: 0, count: m)
        var value = total[0]
        var fullMax = 0.0
        for a in 0..<r {
            for j in 0..<q {
                var g = 0.0
                for c in 0..<k { g += b[c * r + a] * total[3 + j + c * q] }
                gradient[a * q + j] = g
            }
        }
        for a in 0..<r {
            for j in 0..<p {
                let t = theta[a * q + j]
                value += 0.5 * lambda * t * t
                gradient[a * q + j] += lambda * t
            }
        }
        // The full gradient B·G_Θ (penalty included), for the stopping test.
        for c in 0..<k { for j in 0..<q {
            var g = 0.0
            for a in 0..<r { g += b[c * r + a] * gradient[a * q + j] }
            fullMax = max(fullMax, abs(g))
        } }
        var hessian: [Double] = []
        if layout.hessian {
            hessian = Array(total[layout.hessianOffset...])
            for i in 0..<m {
                // Only blocks a ≤ bb were accumulated; within a diagonal block dsyrk filled the
                // upper triangle. Mirror everything above the diagonal.
                for j in (i + 1)..<m { hessian[j + i * m] = hessian[i + j * m] }
            }
            for a in 0..<r { for j in 0..<p { hessian[(a * q + j) * (m + 1)] += lambda } }
        }
        if !value.isFinite || !fullMax.isFinite || hessian.contains(where: { !$0.isFinite }) {
            throw SciLearnError(.numericalFailure, field: "X",
                                "the log-loss, its gradient or Hessian overflow the double range (values of X near 1e154 or beyond); rescale X, for example by standardising its columns")
        }
        return Evaluation(value: value, gradient: gradient, hessian: hessian, fullGradientMax: fullMax,
                          certain: Int(total[2]), logLikelihood: total[1])
    }
}
