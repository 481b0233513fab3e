#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLapack
import CKernels

/// The per-buffer paths of ``LogisticLoss/evaluate(_:hessian:sampledHessian:)``: one sample's
/// terms for two classes and for K, then a buffer of rows by path: two classes on X in place
/// (`binaryRows`, any number of terms), two classes on packed rows (`binaryPackedRows`, up to
/// ``LogisticLoss/gramKernelWidth`` terms: one read of X), K ≥ 3 classes (`multinomialRows`),
/// and the Hessian's BLAS-3 products where the path does not form it itself (`hessianRows`).
extension LogisticLoss {
    /// One sample of two classes at score t: μ₀ and μ₁ = σ(t), and its log-loss softplus(t) − y·t
    /// (each side formed without cancellation) added to `sums`, weighted by `weight`, with the
    /// sample counted as certain when its own class has probability within 1e-10 of 1.
    @inline(__always)
    static func binaryTerms(score t: Double, label y: Int, weight s: Double, into sums: inout RowSums) -> (Double, Double) {
        let z = exp(-abs(t)), u = 1 + z
        let mu1 = t >= 0 ? 1 / u : z / u
        let mu0 = t >= 0 ? z / u : 1 / u
        // log1p(z) by Kahan's formula log(u)·z/(u − 1), accurate to a few ulps for z in (0, 1]:
        // in W3's profile glibc's log1p was 11 % of the fit, log 7 % in its place.
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
    func binaryRows(_ rows: Rows, _ scratch: Scratch, gradient g: UnsafeMutablePointer<Double>) -> RowSums {
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
    func binaryPackedRows(_ rows: Rows, _ scratch: Scratch, gradient g: UnsafeMutablePointer<Double>,
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
    func multinomialRows(_ rows: Rows, _ scratch: Scratch, gradient g: UnsafeMutablePointer<Double>, hessian: Bool) -> RowSums {
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
    func hessianRows(_ rows: Rows, _ scratch: Scratch, into h0: UnsafeMutablePointer<Double>) {
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
}
