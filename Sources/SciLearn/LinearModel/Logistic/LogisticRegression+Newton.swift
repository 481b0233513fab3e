/// A problem Newton's method minimises: the loss at a point (with or without its curvature) and
/// the factorised Newton matrix a step is solved with. ``LogisticLoss`` (the q-dimensional
/// problem: its Hessian formed and factorised) and ``WideBinaryLogistic`` (more terms than
/// samples: the step solved in the samples' space) are the two.
protocol NewtonProblem {
    associatedtype Factor: NewtonStep
    /// Length of Θ.
    var size: Int { get }
    /// Whether a penalty makes the objective strongly convex (chord steps are then allowed).
    var penalized: Bool { get }
    func evaluate(_ theta: [Double], hessian: Bool) throws(SciLearnError) -> LogisticLoss.Evaluation
    /// Whether the problem can form its Hessian from a quarter of the rows (far from the
    /// optimum, where an approximate Newton matrix steers as well).
    var canSampleHessian: Bool { get }
    /// ``evaluate(_:hessian:)`` with the Hessian from every fourth chunk of rows, scaled by four,
    /// when `sampledHessian` (only where ``canSampleHessian``).
    func evaluate(_ theta: [Double], hessian: Bool, sampledHessian: Bool) throws(SciLearnError) -> LogisticLoss.Evaluation
    /// The Newton matrix at an evaluation made with its curvature.
    func factorize(_ evaluation: LogisticLoss.Evaluation) throws(SciLearnError) -> Factor
}

/// A factorised Newton matrix: the step from an evaluation's gradient (and residuals).
protocol NewtonStep {
    /// Whether the matrix is singular (the step is the pseudo-inverse's).
    var singular: Bool { get }
    /// −H⁻¹ g at `evaluation` (H this factor's matrix).
    func step(_ evaluation: LogisticLoss.Evaluation) throws(SciLearnError) -> [Double]
}

extension NewtonProblem {
    var canSampleHessian: Bool { false }
    func evaluate(_ theta: [Double], hessian: Bool, sampledHessian: Bool) throws(SciLearnError) -> LogisticLoss.Evaluation {
        try evaluate(theta, hessian: hessian)
    }
}

extension LogisticLoss: NewtonProblem {
    var penalized: Bool { lambda > 0 }

    func factorize(_ evaluation: Evaluation) throws(SciLearnError) -> LogisticRegression.NewtonFactor {
        try LogisticRegression.NewtonFactor(evaluation.hessian, size: size)
    }
}

extension LogisticRegression {
    struct NewtonResult {
        var theta: [Double]
        var evaluation: LogisticLoss.Evaluation
        var iterations: Int
        var converged: Bool
        /// Whether the Hessian at the end is singular (the steps used its pseudo-inverse).
        var singular: Bool
        /// What the solver did.
        var counts: LogisticSolverCounts
    }

    /// A factorised Newton matrix: its Cholesky factor, or (singular, or κ₁ > 10¹³) its
    /// eigendecomposition for pseudo-inverse solves with eigenvalues below 10⁻¹² of the largest
    /// dropped.
    struct NewtonFactor: NewtonStep {
        let size: Int
        let cholesky: [Double]?
        let eigenvalues: [Double]
        let eigenvectors: [Double]
        var singular: Bool { cholesky == nil }

        init(_ hessian: [Double], size m: Int) throws(SciLearnError) {
            size = m
            var a = hessian
            let rcond = try a.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
                try LAPACK.choleskyUpper(n: m, a: ap.baseAddress!, lda: m)
            }
            if let rcond, rcond > 1e-13 {
                cholesky = a
                eigenvalues = []
                eigenvectors = []
                return
            }
            var v = hessian
            eigenvalues = try v.withUnsafeMutableBufferPointer { (vp) throws(SciLearnError) in
                try LAPACK.symmetricEigen(n: m, a: vp.baseAddress!, lda: m)
            }
            eigenvectors = v
            cholesky = nil
        }

        /// −H⁻¹ g (or −H⁺ g).
        func step(_ evaluation: LogisticLoss.Evaluation) throws(SciLearnError) -> [Double] {
            let m = size, gradient = evaluation.gradient
            if let cholesky {
                var d = gradient.map { -$0 }
                try cholesky.withUnsafeBufferPointer { (ap) throws(SciLearnError) in
                    try d.withUnsafeMutableBufferPointer { (dp) throws(SciLearnError) in
                        try LAPACK.choleskySolve(n: m, nrhs: 1, factor: ap.baseAddress!, lda: m, b: dp.baseAddress!, ldb: m)
                    }
                }
                return d
            }
            let cut = (eigenvalues.last ?? 0) * 1e-12
            var out = [Double](repeating: 0, count: m)
            for k in 0..<m where eigenvalues[k] > cut {
                var vg = 0.0
                for i in 0..<m { vg += eigenvectors[i + k * m] * gradient[i] }
                let c = -vg / eigenvalues[k]
                for i in 0..<m { out[i] += eigenvectors[i + k * m] * c }
            }
            return out
        }
    }

    /// Damped Newton from Θ = 0, backtracking to an Armijo decrease.
    ///
    /// Far from the optimum (the last Newton decrement above ``sampledHessianLimit`` of f, and at
    /// the start), a problem that can (``NewtonProblem/canSampleHessian``: two classes, many rows
    /// per term) forms its Hessian from every fourth chunk of rows: a direction as good for the
    /// damped steps there at a quarter of the BLAS-3 product. Every Hessian that chord steps,
    /// the stopping test or inference rely on is the full one.
    ///
    /// With a penalty, near the optimum (decrement below 10⁻⁶ of f) the Hessian's factor is kept
    /// and only the gradient is recomputed (a chord step: a pass over X without the Hessian's
    /// BLAS-3 product, converging at a rate set by how little the Hessian still changes). Stops
    /// when the gradient test (`fullGradientMax ≤ tol`, tol scaled by the weight sum) holds and
    /// the decrement is at the level of rounding (10⁻¹² of f for Newton steps, after one more
    /// step, which squares the remaining error; 10⁻²⁰ for chord steps); or when no step decreases f (the optimum to machine precision); or
    /// after `maxIter` steps. The Hessian at the end is evaluated only when `finalHessian`
    /// (inference needs it).
    /// The Newton decrement, relative to f, above which the next Hessian may be sampled.
    static let sampledHessianLimit = 1e-2

    static func newton<Problem: NewtonProblem>(_ loss: Problem, maxIter: Int, tol: Double, finalHessian: Bool) throws(SciLearnError) -> NewtonResult {
        let m = loss.size
        let mayFreeze = loss.penalized
        var theta = [Double](repeating: 0, count: m)
        var counts = LogisticSolverCounts()
        let canSample = loss.canSampleHessian
        var lastDecrement = Double.infinity   // relative to f
        func evaluate(_ t: [Double], hessian: Bool = true, full: Bool = false) throws(SciLearnError) -> LogisticLoss.Evaluation {
            if hessian { counts.hessianEvaluations += 1 } else { counts.gradientEvaluations += 1 }
            let sampled = hessian && !full && canSample && lastDecrement > sampledHessianLimit
            if sampled { counts.sampledHessians += 1 }
            return try loss.evaluate(t, hessian: hessian, sampledHessian: sampled)
        }
        func factorize(_ e: LogisticLoss.Evaluation) throws(SciLearnError) -> Problem.Factor {
            counts.factorizations += 1
            return try loss.factorize(e)
        }
        var current = try evaluate(theta)
        var factor = try factorize(current)
        var frozen = false
        var iterations = 0
        var gradientMet = current.fullGradientMax <= tol
        while iterations < maxIter {
            try CancellationToken.check()
            let d = try factor.step(current)
            let decrement = -zip(d, current.gradient).reduce(0) { $0 + $1.0 * $1.1 }
            if !(decrement > 0) { break }
            let scale = max(1, abs(current.value))
            lastDecrement = decrement / scale
            // A Newton step from a decrement of 10⁻¹² squares the error; a chord step only
            // shrinks it by the Hessian's change, so frozen steps continue to 10⁻²⁰.
            // (Never on a sampled Hessian's decrement: the next, full one decides.)
            let last = gradientMet && !current.sampledHessian && decrement <= (frozen ? 1e-20 : 1e-12) * scale
            // Keep the factor once the Hessian barely changes any more (with a penalty only:
            // without one, separation drives the Hessian to zero and needs full steps to show).
            let freeze = mayFreeze && !factor.singular && !current.sampledHessian && decrement <= 1e-6 * scale
            if last {
                let trial = zip(theta, d).map { $0 + $1 }
                let e = try evaluate(trial, hessian: finalHessian)
                if e.value <= current.value + 1e-14 * scale {
                    theta = trial
                    current = e
                    iterations += 1
                    gradientMet = current.fullGradientMax <= tol
                }
                break
            }
            if freeze {
                // Chord steps are full steps (f can no longer resolve an Armijo test this close
                // to the optimum); they stop at the noise floor, when the gradient no longer
                // shrinks.
                let trial = zip(theta, d).map { $0 + $1 }
                let e = try evaluate(trial, hessian: false)
                guard e.value <= current.value + 1e-12 * scale else { break }
                let stalled = e.fullGradientMax > 0.5 * current.fullGradientMax
                theta = trial
                current = e
                iterations += 1
                frozen = true
                gradientMet = current.fullGradientMax <= tol
                if stalled && gradientMet { break }
                continue
            }
            var t = 1.0
            var accepted: (theta: [Double], eval: LogisticLoss.Evaluation)? = nil
            while t * decrement > 1e-15 * scale {
                let trial = zip(theta, d).map { $0 + t * $1 }
                let e = try evaluate(trial)
                if e.value <= current.value - 1e-4 * t * decrement {
                    accepted = (trial, e)
                    break
                }
                t *= 0.5
            }
            guard let step = accepted else { break }   // no decrease: at the optimum to rounding
            theta = step.theta
            current = step.eval
            iterations += 1
            gradientMet = current.fullGradientMax <= tol
            factor = try factorize(current)
        }
        // The covariance (and whether it exists) needs the full Hessian at the final point, also
        // when the loop ended far from the optimum (max_iter, a zero gradient at the start, a
        // failed line search), where the last one was sampled.
        if finalHessian && (current.hessian.isEmpty || current.sampledHessian) {
            current = try evaluate(theta, hessian: true, full: true)
        }
        let singular = finalHessian ? try factorize(current).singular : factor.singular && !frozen
        return NewtonResult(theta: theta, evaluation: current, iterations: iterations, converged: gradientMet, singular: singular,
                            counts: counts)
    }
}
