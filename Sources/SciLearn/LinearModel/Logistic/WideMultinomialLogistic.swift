#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLapack

/// Multinomial (K ≥ 3 classes) L2-penalised logistic regression with more terms than samples,
/// solved by Newton's method in the samples' space: the (r·q)² Hessian of ``LogisticLoss``
/// (r = K − 1 directions of its sum-zero basis B, q terms) is never formed.
///
/// From zero, every Newton step keeps each direction's slopes in X's row space, Θ = A X (A is
/// r × n), so the iterate is (A, β) with β the r intercepts, and the reduced scores are
/// ζᵢ = A K[:, i] + β with K = X Xᵀ (n × n, one BLAS-3 pass). The objective, its stopping test
/// (scikit-learn's, on the full K × q gradient in W-space) and the Newton steps are
/// ``LogisticLoss``'s. Write Z for Θ ↦ (Θxᵢ)ᵢ, so ZZᵀ = K ⊗ I_r, and D for the block-diagonal
/// curvature, Dᵢ = sᵢBᵀ(diag μᵢ − μᵢμᵢᵀ)B. The slopes' step is Zᵀδ with δ = −T(V + D1·dβ),
/// T = (λI + D(K ⊗ I))⁻¹ by the push-through identity and V = E + λA (E the residuals
/// sᵢBᵀ(μᵢ − yᵢ)). Dᵢ = LᵢLᵢᵀ with Lᵢ = √sᵢ·BᵀFᵢ, Fᵢ = diag(uᵢ)(I − uᵢuᵢᵀ), uᵢ = √μᵢ (Fᵢ's
/// columns sum to zero, so BBᵀFᵢ = Fᵢ), and Woodbury gives T = (I − L S⁻¹ Lᵀ(K ⊗ I))/λ with
/// S = λI + Lᵀ(K ⊗ I)L, symmetric positive definite of order n·K, whose (i, j) block is
/// Kᵢⱼ·√(sᵢsⱼ)·FᵢᵀFⱼ. The intercepts' step solves the r × r Schur complement.
///
/// - Complexity: n²·p for K once; per evaluation two n × n products with the r × n iterate and
///   one K × n × p product (the W-space gradient); per Newton step (n·K)²·K to form S,
///   (n·K)³/3 to factorise it, and r + 1 solves. Memory O((n·K)² + n² + K·p)·8 bytes beside X.
struct WideMultinomialLogistic: NewtonProblem {
    let x: Matrix
    let labels: [Int]
    let weights: [Double]
    let classes: Int
    let fitIntercept: Bool
    let lambda: Double
    /// K = X Xᵀ, n × n, column-major, both triangles.
    let kernel: [Double]
    /// B, K × r, row-major (``LogisticLoss/basis``).
    let basis: [Double]

    /// The problem on `x` (n × p) with `classes` ≥ 3 classes (`labels` in 0..<classes) and
    /// `lambda` > 0.
    init(x: Matrix, labels: [Int], weights: [Double], classes: Int, fitIntercept: Bool, lambda: Double) throws(SciLearnError) {
        precondition(lambda > 0 && classes >= 3, "the wide multinomial solver needs a penalty and three classes or more")
        self.x = x
        self.labels = labels
        self.weights = weights
        self.classes = classes
        self.fitIntercept = fitIntercept
        self.lambda = lambda
        basis = LogisticLoss.basis(classes: classes)
        kernel = try WideBinaryLogistic.gram(x)
    }

    var rows: Int { x.rows }
    var directions: Int { classes - 1 }
    /// (A, β): r·n, then the r intercepts.
    var size: Int { directions * x.rows + (fitIntercept ? directions : 0) }
    var penalized: Bool { true }

    /// M·K for M r × n (column-major): what K does to each direction's row.
    func timesKernel(_ m: UnsafePointer<Double>) -> [Double] {
        let n = rows, r = directions
        var out = [Double](repeating: 0, count: r * n)
        kernel.withUnsafeBufferPointer { kp in
            out.withUnsafeMutableBufferPointer { op in
                cblas_dsymm(CblasColMajor, CblasRight, CblasUpper, Int32(r), Int32(n), 1.0, kp.baseAddress, Int32(n),
                            m, Int32(r), 0.0, op.baseAddress, Int32(r))
            }
        }
        return out
    }

    /// Θ's slopes A·X (r × p, column-major).
    func slopes(_ theta: [Double]) -> [Double] {
        let n = rows, p = x.columns, r = directions
        var w = [Double](repeating: 0, count: r * p)
        guard p > 0, n > 0 else { return w }
        x.withUnsafeBufferPointer { xs in
            theta.withUnsafeBufferPointer { tp in
                w.withUnsafeMutableBufferPointer { wp in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(r), Int32(p), Int32(n), 1.0,
                                tp.baseAddress, Int32(r), xs.baseAddress, Int32(x.leadingDimension), 0.0, wp.baseAddress, Int32(r))
                }
            }
        }
        return w
    }

    /// The iterate in ``LogisticLoss``'s layout (direction a's q terms at a·q, the intercept
    /// last), so the model is read from it as from the q-dimensional solver's.
    func reducedTheta(_ theta: [Double]) -> [Double] {
        let n = rows, p = x.columns, r = directions, q = p + (fitIntercept ? 1 : 0)
        let w = slopes(theta)
        var out = [Double](repeating: 0, count: r * q)
        for a in 0..<r {
            for j in 0..<p { out[a * q + j] = w[a + j * r] }
            if fitIntercept { out[a * q + p] = theta[r * n + a] }
        }
        return out
    }

    /// f, its gradient in (A, β)-space, the probabilities μ (K × n, column-major, as `hessian`:
    /// the factor is built from them) and V = E + λA (as `residuals`); `fullGradientMax` is the
    /// largest entry of the W-space gradient, (R + λBA)X̃ with R the K × n residuals
    /// sᵢ(μᵢ − yᵢ): scikit-learn's test.
    func evaluate(_ theta: [Double], hessian: Bool) throws(SciLearnError) -> LogisticLoss.Evaluation {
        try CancellationToken.check()
        let n = rows, r = directions, k = classes, p = x.columns, b = basis
        let zeta = theta.withUnsafeBufferPointer { timesKernel($0.baseAddress!) }
        var sums = LogisticLoss.RowSums()
        var eta = [Double](repeating: 0, count: n * k), mu = [Double](repeating: 0, count: n * k)
        var v = [Double](repeating: 0, count: r * n), u = [Double](repeating: 0, count: k * n)
        var sumR = [Double](repeating: 0, count: k), sumE = [Double](repeating: 0, count: r)
        var penalty = 0.0
        eta.withUnsafeMutableBufferPointer { ep in
            mu.withUnsafeMutableBufferPointer { mp in
                for i in 0..<n {
                    for c in 0..<k {
                        var t = 0.0
                        for a in 0..<r where b[c * r + a] != 0 {
                            t += b[c * r + a] * (zeta[a + i * r] + (fitIntercept ? theta[r * n + a] : 0))
                        }
                        ep[i + c * n] = t
                    }
                    let y = labels[i], s = weights[i]
                    let m = mp.baseAddress! + i * k
                    LogisticLoss.softmaxTerms(scores: ep.baseAddress! + i, stride: n, classes: k, label: y, weight: s, mu: m, into: &sums)
                    for c in 0..<k { u[c + i * k] = s * (m[c] - (c == y ? 1 : 0)); sumR[c] += u[c + i * k] }
                    for a in 0..<r {
                        var e = 0.0
                        for c in 0..<k where b[c * r + a] != 0 { e += b[c * r + a] * u[c + i * k] }
                        let ai = theta[a + i * r]
                        sumE[a] += e
                        v[a + i * r] = e + lambda * ai
                        penalty += ai * zeta[a + i * r]
                    }
                    // U = R + λBA, whose product with X is the W-space gradient.
                    for a in 0..<r {
                        let ai = lambda * theta[a + i * r]
                        for c in 0..<k where b[c * r + a] != 0 { u[c + i * k] += b[c * r + a] * ai }
                    }
                }
            }
        }
        let value = sums.loss + 0.5 * lambda * penalty
        var gradient = v.withUnsafeBufferPointer { timesKernel($0.baseAddress!) }
        if fitIntercept { gradient += sumE }
        var fullMax = fitIntercept ? sumR.map(abs).max() ?? 0 : 0
        if p > 0 {
            var g = [Double](repeating: 0, count: k * p)
            x.withUnsafeBufferPointer { xs in
                u.withUnsafeBufferPointer { up in
                    g.withUnsafeMutableBufferPointer { gp in
                        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(k), Int32(p), Int32(n), 1.0,
                                    up.baseAddress, Int32(k), xs.baseAddress, Int32(x.leadingDimension), 0.0, gp.baseAddress, Int32(k))
                    }
                }
            }
            for t in g { fullMax = Swift.max(fullMax, abs(t)) }
        }
        if !value.isFinite || !fullMax.isFinite {
            throw SciLearnError(.numericalFailure, field: "X",
                                "the log-loss or its gradient overflows the double range (values of X near 1e154 or beyond); rescale X, for example by standardising its columns")
        }
        return LogisticLoss.Evaluation(value: value, gradient: gradient, hessian: hessian ? mu : [], fullGradientMax: fullMax,
                                       certain: Int(sums.certain), logLikelihood: sums.logLikelihood, residuals: v)
    }

    func factorize(_ evaluation: LogisticLoss.Evaluation) throws(SciLearnError) -> Factor {
        try Factor(self, probabilities: evaluation.hessian)
    }

    /// The Cholesky factor of S and what the intercepts' Schur complement needs.
    struct Factor: NewtonStep {
        let problem: WideMultinomialLogistic
        /// Fᵢ·√sᵢ, K × K each, column-major, sample after sample (K × n·K).
        let f: [Double]
        /// S's Cholesky factor (upper), n·K square.
        let cholesky: [Double]
        /// Q = D·1 (r × n per intercept direction: r·n × r) and M = T(Q), and the Schur
        /// complement of the intercepts, factorised (``LogisticRegression/NewtonFactor``).
        let q: [Double]
        let m: [Double]
        let schur: LogisticRegression.NewtonFactor?
        /// Whether the intercepts' Schur complement took pseudo-inverse steps.
        var singular: Bool { schur?.singular ?? false }

        init(_ problem: WideMultinomialLogistic, probabilities mu: [Double]) throws(SciLearnError) {
            let n = problem.rows, k = problem.classes, r = problem.directions, b = problem.basis, nk = n * k
            self.problem = problem
            var f = [Double](repeating: 0, count: k * nk)
            for i in 0..<n {
                let root = problem.weights[i].squareRoot()
                for d in 0..<k {
                    let ud = Swift.max(0, mu[d + i * k]).squareRoot()
                    for c in 0..<k {
                        let uc = Swift.max(0, mu[c + i * k]).squareRoot()
                        f[c + (i * k + d) * k] = root * uc * ((c == d ? 1 : 0) - uc * ud)
                    }
                }
            }
            self.f = f
            // S = (FᵀF) ∘ (K ⊗ 11ᵀ) + λI, upper triangle.
            var s = [Double](repeating: 0, count: nk * nk)
            f.withUnsafeBufferPointer { fp in
                s.withUnsafeMutableBufferPointer { sp in
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(nk), Int32(k), 1.0, fp.baseAddress, Int32(k),
                                0.0, sp.baseAddress, Int32(nk))
                }
            }
            for col in 0..<nk {
                let j = col / k
                for row in 0...col { s[row + col * nk] *= problem.kernel[row / k + j * n] }
                s[col + col * nk] += problem.lambda
            }
            try CancellationToken.check()
            let rcond = try s.withUnsafeMutableBufferPointer { (sp) throws(SciLearnError) in
                try LAPACK.choleskyUpper(n: nk, a: sp.baseAddress!, lda: nk)
            }
            guard rcond != nil else {
                throw SciLearnError(.numericalFailure, field: "X", "the Newton system in the samples' space is not positive definite (λI + Lᵀ(K ⊗ I)L)")
            }
            cholesky = s
            guard problem.fitIntercept else { q = []; m = []; schur = nil; return }
            // Q's column a: Dᵢ eₐ = sᵢBᵀ(μᵢ∘bₐ − μᵢ(μᵢ·bₐ)) for each i; H_bb = Σᵢ Dᵢ.
            var q = [Double](repeating: 0, count: r * n * r)
            var hbb = [Double](repeating: 0, count: r * r)
            for a in 0..<r {
                for i in 0..<n {
                    let s = problem.weights[i]
                    var mb = 0.0
                    for c in 0..<k { mb += mu[c + i * k] * b[c * r + a] }
                    for a2 in 0..<r {
                        var t = 0.0
                        for c in 0..<k { t += b[c * r + a2] * mu[c + i * k] * (b[c * r + a] - mb) }
                        q[a2 + i * r + a * r * n] = s * t
                        hbb[a2 + a * r] += s * t
                    }
                }
            }
            self.q = q
            var m = [Double](repeating: 0, count: r * n * r)
            for a in 0..<r {
                let column = try Self.apply(problem: problem, f: f, cholesky: s, Array(q[(a * r * n)..<((a + 1) * r * n)]))
                for t in 0..<(r * n) { m[t + a * r * n] = column[t] }
            }
            self.m = m
            // Schur = H_bb − Qᵀ(K ⊗ I)M.
            var gm = [Double](repeating: 0, count: r * n * r)
            for a in 0..<r {
                let column = m.withUnsafeBufferPointer { problem.timesKernel($0.baseAddress! + a * r * n) }
                for t in 0..<(r * n) { gm[t + a * r * n] = column[t] }
            }
            var schurMatrix = hbb
            for a in 0..<r {
                for a2 in 0..<r {
                    var t = 0.0
                    for e in 0..<(r * n) { t += q[e + a2 * r * n] * gm[e + a * r * n] }
                    schurMatrix[a2 + a * r] -= t
                }
            }
            for a in 0..<r { for a2 in 0..<a { let avg = 0.5 * (schurMatrix[a2 + a * r] + schurMatrix[a + a2 * r]); schurMatrix[a2 + a * r] = avg; schurMatrix[a + a2 * r] = avg } }
            schur = try LogisticRegression.NewtonFactor(schurMatrix, size: r)
        }

        /// T ν = (ν − L S⁻¹ Lᵀ(K ⊗ I) ν) / λ, ν r × n.
        static func apply(problem: WideMultinomialLogistic, f: [Double], cholesky: [Double], _ nu: [Double]) throws(SciLearnError) -> [Double] {
            let n = problem.rows, k = problem.classes, r = problem.directions, b = problem.basis, nk = n * k
            let g = nu.withUnsafeBufferPointer { problem.timesKernel($0.baseAddress!) }
            // w_i = Fᵢᵀ B gᵢ (with √sᵢ in F).
            var w = [Double](repeating: 0, count: nk)
            var y = [Double](repeating: 0, count: k)
            for i in 0..<n {
                for c in 0..<k {
                    var t = 0.0
                    for a in 0..<r { t += b[c * r + a] * g[a + i * r] }
                    y[c] = t
                }
                for d in 0..<k {
                    var t = 0.0
                    for c in 0..<k { t += f[c + (i * k + d) * k] * y[c] }
                    w[i * k + d] = t
                }
            }
            try cholesky.withUnsafeBufferPointer { (cp) throws(SciLearnError) in
                try w.withUnsafeMutableBufferPointer { (wp) throws(SciLearnError) in
                    try LAPACK.choleskySolve(n: nk, nrhs: 1, factor: cp.baseAddress!, lda: nk, b: wp.baseAddress!, ldb: nk)
                }
            }
            // (L z)ᵢ = Bᵀ Fᵢ zᵢ.
            var out = nu
            for i in 0..<n {
                for c in 0..<k {
                    var t = 0.0
                    for d in 0..<k { t += f[c + (i * k + d) * k] * w[i * k + d] }
                    y[c] = t
                }
                for a in 0..<r {
                    var t = 0.0
                    for c in 0..<k { t += b[c * r + a] * y[c] }
                    out[a + i * r] = (out[a + i * r] - t) / problem.lambda
                }
            }
            return out
        }

        /// The Newton step (δ, dβ): the slopes move by δX, the intercepts by dβ.
        func step(_ evaluation: LogisticLoss.Evaluation) throws(SciLearnError) -> [Double] {
            let n = problem.rows, r = problem.directions
            let tv = try Self.apply(problem: problem, f: f, cholesky: cholesky, evaluation.residuals)
            guard let schur else { return tv.map { -$0 } }
            // Schur·dβ = −g_β + Qᵀ(K ⊗ I)T(V).
            let gtv = tv.withUnsafeBufferPointer { problem.timesKernel($0.baseAddress!) }
            var rhs = [Double](repeating: 0, count: r)
            for a in 0..<r {
                var t = -evaluation.gradient[r * n + a]
                for e in 0..<(r * n) { t += q[e + a * r * n] * gtv[e] }
                rhs[a] = t
            }
            // NewtonFactor's step is −H⁻¹g: hand it −rhs.
            let probe = LogisticLoss.Evaluation(value: 0, gradient: rhs.map { -$0 }, hessian: [], fullGradientMax: 0, certain: 0,
                                                logLikelihood: 0)
            let db = try schur.step(probe)
            var out = [Double](repeating: 0, count: r * n + r)
            for e in 0..<(r * n) {
                var t = -tv[e]
                for a in 0..<r { t -= m[e + a * r * n] * db[a] }
                out[e] = t
            }
            for a in 0..<r { out[r * n + a] = db[a] }
            return out
        }
    }
}
