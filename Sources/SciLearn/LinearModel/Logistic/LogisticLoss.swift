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
