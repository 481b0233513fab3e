#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLapack

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
    var basis: [Double] {
        let k = classes, r = directions
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
    }

    /// f, its gradient and Hessian at Θ (the Hessian only when `hessian`).
    func evaluate(_ theta: [Double], hessian wantHessian: Bool = true) throws(SciLearnError) -> Evaluation {
        let n = x.rows, p = features, q = terms, k = classes, r = directions, m = size
        let w = weightsMatrix(theta), b = basis
        let xs = x, labels = self.labels, sw = self.weights, fit = fitIntercept
        // Partial layout: [loss, loglik, certain, G_W (q × K, column-major), H (m × m)].
        let hOffset = 3 + q * k
        let partialSize = hOffset + (wantHessian ? m * m : 0)
        let step = max(32, min(BlockedSum.blockRows, (1 << 17) / max(1, q)))
        let total = try BlockedSum.sum(rows: n, size: partialSize, work: n * q * (wantHessian ? q * r * r : k)) { (block, acc) throws(SciLearnError) in
            var scaled = [Double](repeating: 0, count: step * q)
            var eta = [Double](repeating: 0, count: step * k)
            var mu = [Double](repeating: 0, count: k)
            var pair = [Double](repeating: 0, count: step * r * r)
            var root = [Double](repeating: 0, count: step)
            let ldx = xs.leadingDimension
            try CancellableBlocks.forEach(count: block.count, step: step) { (sub) throws(SciLearnError) in
                let rows = sub.count, lo = block.lowerBound + sub.lowerBound
                // η = X Wₓᵀ + 1·bᵀ (rows × K), X read in place. W (K × q, row-major) is Wᵀ
                // column-major (q × K, leading dimension q); its first p rows are the slopes.
                xs.withUnsafeBufferPointer { src in
                    w.withUnsafeBufferPointer { wp in
                        eta.withUnsafeMutableBufferPointer { ep in
                            if p > 0 && k == 2 {
                                // Two classes: class 0 scores 0 (B = [0; 1]); one GEMV for class 1.
                                for i in 0..<rows { ep[i] = 0 }
                                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(p), 1.0, src.baseAddress! + lo, Int32(ldx),
                                            wp.baseAddress! + q, 1, 0.0, ep.baseAddress! + rows, 1)
                            } else if p > 0 {
                                cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(k), Int32(p), 1.0,
                                            src.baseAddress! + lo, Int32(ldx), wp.baseAddress, Int32(q), 0.0, ep.baseAddress, Int32(rows))
                            } else {
                                for i in 0..<(rows * k) { ep[i] = 0 }
                            }
                            if fit { for c in 0..<k { let bc = wp[c * q + p]; for i in 0..<rows { ep[i + c * rows] += bc } } }
                        }
                    }
                }
                // Softmax, loss, residuals E = s(μ − Y) (into η), and the r × r weights per sample.
                var loss = 0.0, loglik = 0.0, certain = 0.0
                eta.withUnsafeMutableBufferPointer { e in
                    pair.withUnsafeMutableBufferPointer { pr in
                        labels.withUnsafeBufferPointer { lp in
                            sw.withUnsafeBufferPointer { wp in
                                if k == 2 {
                                    // Two classes: class 0 scores 0, so μ₁ = σ(t) and the log-loss is
                                    // softplus(t) − y·t, each side formed without cancellation.
                                    for i in 0..<rows {
                                        let t = e[i + rows], y = lp[lo + i], s = wp[lo + i]
                                        let z = exp(-abs(t))
                                        let mu1 = t >= 0 ? 1 / (1 + z) : z / (1 + z)
                                        let mu0 = t >= 0 ? z / (1 + z) : 1 / (1 + z)
                                        let li = Swift.max(t, 0) + log1p(z) - (y == 1 ? t : 0)
                                        loss += s * li
                                        loglik -= li
                                        if (y == 1 ? mu0 : mu1) < 1e-10 { certain += 1 }
                                        e[i] = s * (mu0 - (y == 0 ? 1 : 0))
                                        e[i + rows] = s * (mu1 - (y == 1 ? 1 : 0))
                                        pr[i] = s * mu1 * mu0
                                    }
                                    return
                                }
                                for i in 0..<rows {
                                    var top = -Double.infinity
                                    for c in 0..<k { top = Swift.max(top, e[i + c * rows]) }
                                    var sum = 0.0
                                    for c in 0..<k { let v = exp(e[i + c * rows] - top); mu[c] = v; sum += v }
                                    let lse = top + log(sum)
                                    let y = lp[lo + i], s = wp[lo + i]
                                    let li = lse - e[i + y * rows]
                                    loss += s * li
                                    loglik -= li
                                    for c in 0..<k { mu[c] /= sum }
                                    if 1 - mu[y] < 1e-10 { certain += 1 }
                                    for c in 0..<k { e[i + c * rows] = s * (mu[c] - (c == y ? 1 : 0)) }
                                    guard wantHessian else { continue }
                                    // s·Bᵀ(diag μ − μμᵀ)B, upper triangle, a ≤ b.
                                    for a in 0..<r {
                                        var bmuA = 0.0
                                        for c in 0..<k { bmuA += b[c * r + a] * mu[c] }
                                        for bb in a..<r {
                                            var diag = 0.0, bmuB = 0.0
                                            for c in 0..<k { diag += b[c * r + a] * b[c * r + bb] * mu[c]; bmuB += b[c * r + bb] * mu[c] }
                                            pr[i + (a * r + bb) * rows] = s * (diag - bmuA * bmuB)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                acc[0] += loss
                acc[1] += loglik
                acc[2] += certain
                acc.withUnsafeMutableBufferPointer { ap in
                    xs.withUnsafeBufferPointer { src in
                        let xb = src.baseAddress! + lo
                        eta.withUnsafeBufferPointer { ep in
                            // G_W += X̃ᵀ E (q × K): the slopes' rows from X in place, the
                            // intercept's row as column sums of E.
                            if p > 0 && k == 2 {
                                // Two classes: E's columns are opposite; one GEMV, then the negation.
                                cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(p), 1.0, xb, Int32(ldx),
                                            ep.baseAddress! + rows, 1, 1.0, ap.baseAddress! + 3 + q, 1)
                                for j in 0..<p { ap[3 + j] = -ap[3 + q + j] }
                            } else if p > 0 {
                                cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(k), Int32(rows), 1.0,
                                            xb, Int32(ldx), ep.baseAddress, Int32(rows), 1.0, ap.baseAddress! + 3, Int32(q))
                            }
                            if fit { for c in 0..<k { var t = 0.0; for i in 0..<rows { t += ep[i + c * rows] }; ap[3 + p + c * q] += t } }
                        }
                        guard wantHessian else { return }
                        scaled.withUnsafeMutableBufferPointer { sp in
                            for a in 0..<r {
                                for bb in a..<r {
                                    let weightsAt = (a * r + bb) * rows
                                    let h = ap.baseAddress! + hOffset + (a * q) + (bb * q) * m
                                    if a == bb {
                                        // Non-negative weights (up to rounding, clamped): √ scaling and
                                        // one symmetric update of [√w·X, √w].
                                        root.withUnsafeMutableBufferPointer { rt in
                                            pair.withUnsafeBufferPointer { pw in
                                                Self.scaleRows(xb, ld: ldx, into: sp.baseAddress!, rows: rows, columns: p, ones: fit,
                                                               by: pw.baseAddress! + weightsAt, root: rt.baseAddress!)
                                            }
                                        }
                                        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(q), Int32(rows), 1.0,
                                                    sp.baseAddress, Int32(rows), 1.0, h, Int32(m))
                                    } else {
                                        // [X, 1]ᵀ·[w·X, w]: the slopes' rows by GEMM on X in place, the
                                        // intercept's row as column sums.
                                        pair.withUnsafeBufferPointer { pw in
                                            Self.scaleRows(xb, ld: ldx, into: sp.baseAddress!, rows: rows, columns: p, ones: fit,
                                                           by: pw.baseAddress! + weightsAt, root: nil)
                                        }
                                        if p > 0 {
                                            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(q), Int32(rows), 1.0,
                                                        xb, Int32(ldx), sp.baseAddress, Int32(rows), 1.0, h, Int32(m))
                                        }
                                        if fit {
                                            for j in 0..<q { var t = 0.0; for i in 0..<rows { t += sp[i + j * rows] }; h[p + j * m] += t }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Θ-gradient: G_Θ[a] = Σ_c B[c, a] · G_W[:, c]; the penalty on the coefficients.
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
        if wantHessian {
            hessian = Array(total[hOffset...])
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
