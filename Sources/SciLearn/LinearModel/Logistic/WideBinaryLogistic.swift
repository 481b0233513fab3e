#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLapack

/// Two-class L2-penalised logistic regression with more terms than samples (q = p + 1 > n),
/// solved by Newton's method in the samples' space: the p × p (or q × q) Hessian is never formed.
///
/// Starting from zero, every Newton step keeps the slopes in X's row space, w = Xᵀa, so the
/// iterate is (a, b) ∈ ℝⁿ⁺¹ and the scores are η = K a + b with K = X Xᵀ (n × n, one BLAS-3
/// pass). The objective is the same as ``LogisticLoss``'s, f = Σᵢ sᵢ·ℓᵢ + ½λ aᵀK a, and so is
/// each Newton step in w-space: its slope part is Xᵀδ, with δ from the push-through identity
/// (λI + XᵀDX)⁻¹Xᵀ = Xᵀ(λI + DK)⁻¹ (D the curvature weights sᵢμᵢ(1 − μᵢ)), applied through the
/// Cholesky factor of the symmetric λI + D^½KD^½, and the intercept's part from the bordered
/// system (its Schur complement, a scalar). So the iterates, the stopping test (scikit-learn's,
/// on the gradient in w-space) and the answer are those of the q-dimensional Newton method,
/// at O(n²) per evaluation after K and O(n³) per factorisation.
///
/// - Complexity: n²·p for K and one n·p product per evaluation (the w-space gradient), plus n³/3
///   per Newton step; memory O(n² + n·p)·8 bytes beside X.
struct WideBinaryLogistic: NewtonProblem {
    let x: Matrix
    let labels: [Int]
    let weights: [Double]
    let fitIntercept: Bool
    let lambda: Double
    /// K = X Xᵀ, n × n, column-major, both triangles.
    let kernel: [Double]

    /// The problem on `x` (n × p) with two classes (`labels` 0 or 1) and `lambda` > 0.
    init(x: Matrix, labels: [Int], weights: [Double], fitIntercept: Bool, lambda: Double) throws(SciLearnError) {
        precondition(lambda > 0, "the wide solver needs a penalty")
        self.x = x
        self.labels = labels
        self.weights = weights
        self.fitIntercept = fitIntercept
        self.lambda = lambda
        kernel = try Self.gram(x)
    }

    /// K = X Xᵀ (n × n, column-major, both triangles), over column chunks of X: rank-k updates
    /// of at most ~10⁸ flops, a cancellation check before each.
    static func gram(_ x: Matrix) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns
        var k = [Double](repeating: 0, count: n * n)
        let step = max(1, (1 << 27) / max(1, n * n))
        try CancellableBlocks.forEach(count: p, step: step) { (cols) throws(SciLearnError) in
            x.withUnsafeBufferPointer { xs in
                k.withUnsafeMutableBufferPointer { kp in
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(cols.count), 1.0,
                                xs.baseAddress! + cols.lowerBound * x.leadingDimension, Int32(x.leadingDimension),
                                1.0, kp.baseAddress, Int32(n))
                }
            }
        }
        Matrix.mirrorUpper(&k, n: n)
        return k
    }

    var rows: Int { x.rows }
    /// (a, b): n, and the intercept.
    var size: Int { x.rows + (fitIntercept ? 1 : 0) }
    var penalized: Bool { true }

    /// K·v.
    func kernelTimes(_ v: [Double]) -> [Double] {
        let n = rows
        var out = [Double](repeating: 0, count: n)
        kernel.withUnsafeBufferPointer { kp in
            v.withUnsafeBufferPointer { vp in
                out.withUnsafeMutableBufferPointer { op in
                    cblas_dsymv(CblasColMajor, CblasUpper, Int32(n), 1.0, kp.baseAddress, Int32(n), vp.baseAddress, 1, 0.0, op.baseAddress, 1)
                }
            }
        }
        return out
    }

    /// The slopes w = Xᵀa of an iterate.
    func slopes(_ theta: [Double]) -> [Double] {
        let n = rows, p = x.columns
        var w = [Double](repeating: 0, count: p)
        guard p > 0 else { return w }
        x.withUnsafeBufferPointer { xs in
            theta.withUnsafeBufferPointer { tp in
                w.withUnsafeMutableBufferPointer { wp in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(p), 1.0, xs.baseAddress, Int32(x.leadingDimension),
                                tp.baseAddress, 1, 0.0, wp.baseAddress, 1)
                }
            }
        }
        return w
    }

    /// f, its gradient in (a, b)-space, the curvature weights D (as `hessian`, when asked) and
    /// v = e + λa (as `residuals`: e the weighted residuals s(μ − y)); `fullGradientMax` is the
    /// largest entry of the gradient in w-space, Xᵀv and Σe, scikit-learn's test.
    func evaluate(_ theta: [Double], hessian: Bool) throws(SciLearnError) -> LogisticLoss.Evaluation {
        try CancellationToken.check()
        let n = rows
        let a = Array(theta[0..<n]), b = fitIntercept ? theta[n] : 0
        let ka = kernelTimes(a)
        var sums = LogisticLoss.RowSums()
        var v = [Double](repeating: 0, count: n), curvature = [Double](repeating: 0, count: hessian ? n : 0)
        var sumE = 0.0, penalty = 0.0
        for i in 0..<n {
            let y = labels[i], s = weights[i]
            let (mu0, mu1) = LogisticLoss.binaryTerms(score: ka[i] + b, label: y, weight: s, into: &sums)
            let e = s * (mu1 - (y == 1 ? 1 : 0))
            sumE += e
            v[i] = e + lambda * a[i]
            if hessian { curvature[i] = s * mu1 * mu0 }
            penalty += a[i] * ka[i]
        }
        let value = sums.loss + 0.5 * lambda * penalty
        var gradient = kernelTimes(v)
        if fitIntercept { gradient.append(sumE) }
        var fullMax = abs(fitIntercept ? sumE : 0)
        for g in slopes(v) { fullMax = Swift.max(fullMax, abs(g)) }
        if !value.isFinite || !fullMax.isFinite {
            throw SciLearnError(.numericalFailure, field: "X",
                                "the log-loss or its gradient overflows the double range (values of X near 1e154 or beyond); rescale X, for example by standardising its columns")
        }
        return LogisticLoss.Evaluation(value: value, gradient: gradient, hessian: curvature, fullGradientMax: fullMax,
                                       certain: Int(sums.certain), logLikelihood: sums.logLikelihood, residuals: v)
    }

    func factorize(_ evaluation: LogisticLoss.Evaluation) throws(SciLearnError) -> Factor {
        try Factor(self, curvature: evaluation.hessian)
    }

    /// The Cholesky factor of S = λI + D^½KD^½ and what the bordered intercept system needs.
    struct Factor: NewtonStep {
        let problem: WideBinaryLogistic
        let root: [Double]
        let cholesky: [Double]
        /// s = D·1, Dᵢᵢ summed, and T(s) = (λI + DK)⁻¹s with sᵀK T(s).
        let s: [Double]
        let schur: Double
        let ts: [Double]
        var singular: Bool { false }

        init(_ problem: WideBinaryLogistic, curvature d: [Double]) throws(SciLearnError) {
            let n = problem.rows
            self.problem = problem
            root = d.map { Swift.max(0, $0).squareRoot() }
            var a = [Double](repeating: 0, count: n * n)
            for j in 0..<n {
                for i in 0...j { a[i + j * n] = root[i] * problem.kernel[i + j * n] * root[j] }
                a[j + j * n] += problem.lambda
            }
            let rcond = try a.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
                try LAPACK.choleskyUpper(n: n, a: ap.baseAddress!, lda: n)
            }
            guard rcond != nil else {
                throw SciLearnError(.numericalFailure, field: "X", "the Newton system in the samples' space is not positive definite (λI + D^½KD^½)")
            }
            cholesky = a
            s = d
            if problem.fitIntercept {
                let t = try Self.apply(problem: problem, root: root, cholesky: a, d)
                let kt = problem.kernelTimes(t)
                ts = t
                schur = d.reduce(0, +) - zip(d, kt).reduce(0) { $0 + $1.0 * $1.1 }
            } else {
                ts = []
                schur = 0
            }
        }

        /// (λI + DK)⁻¹ v = (v − D^½ S⁻¹ D^½ K v) / λ.
        static func apply(problem: WideBinaryLogistic, root: [Double], cholesky: [Double], _ v: [Double]) throws(SciLearnError) -> [Double] {
            let n = problem.rows
            let kv = problem.kernelTimes(v)
            var z = (0..<n).map { root[$0] * kv[$0] }
            try cholesky.withUnsafeBufferPointer { (cp) throws(SciLearnError) in
                try z.withUnsafeMutableBufferPointer { (zp) throws(SciLearnError) in
                    try LAPACK.choleskySolve(n: n, nrhs: 1, factor: cp.baseAddress!, lda: n, b: zp.baseAddress!, ldb: n)
                }
            }
            return (0..<n).map { (v[$0] - root[$0] * z[$0]) / problem.lambda }
        }

        /// The Newton step (δ, d_b): the slopes move by Xᵀδ, the intercept by d_b.
        func step(_ evaluation: LogisticLoss.Evaluation) throws(SciLearnError) -> [Double] {
            let n = problem.rows
            let u = evaluation.residuals.map { -$0 }
            let tu = try Self.apply(problem: problem, root: root, cholesky: cholesky, u)
            guard problem.fitIntercept else { return tu }
            let gb = evaluation.gradient[n]
            let ktu = problem.kernelTimes(tu)
            let db = schur > 0 ? (-gb - zip(s, ktu).reduce(0) { $0 + $1.0 * $1.1 }) / schur : 0
            return (0..<n).map { tu[$0] - db * ts[$0] } + [db]
        }
    }
}
