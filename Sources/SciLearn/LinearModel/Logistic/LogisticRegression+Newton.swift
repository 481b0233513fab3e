extension LogisticRegression {
    struct NewtonResult {
        var theta: [Double]
        var evaluation: LogisticLoss.Evaluation
        var iterations: Int
        var converged: Bool
        /// Whether the last Hessian was singular (solved by its pseudo-inverse).
        var singular: Bool
        var warnings: [String]
    }

    /// Damped Newton from Θ = 0: stops when the gradient test (`fullGradientMax ≤ tol`, tol
    /// already scaled by the weight sum) holds and the Newton decrement is at the level of
    /// rounding, or when no step decreases f (the optimum to machine precision), or after
    /// `maxIter` steps.
    static func newton(_ loss: LogisticLoss, maxIter: Int, tol: Double) throws(SciLearnError) -> NewtonResult {
        let m = loss.size
        var theta = [Double](repeating: 0, count: m)
        var current = try loss.evaluate(theta)
        var iterations = 0
        var singular = false
        var gradientMet = current.fullGradientMax <= tol
        while iterations < maxIter {
            try CancellationToken.check()
            let (d, isSingular) = try newtonStep(hessian: current.hessian, gradient: current.gradient, size: m)
            singular = isSingular
            let decrement = -zip(d, current.gradient).reduce(0) { $0 + $1.0 * $1.1 }
            if !(decrement > 0) { break }
            let scale = max(1, abs(current.value))
            // In the quadratic region (the decrement ~ twice the distance to the optimum in f),
            // one more full step squares the error: take it and stop, unless it makes f worse
            // beyond rounding.
            if gradientMet && decrement <= 1e-12 * scale {
                let trial = zip(theta, d).map { $0 + $1 }
                let e = try loss.evaluate(trial)
                if e.value <= current.value + 1e-14 * scale {
                    theta = trial
                    current = e
                    iterations += 1
                    gradientMet = current.fullGradientMax <= tol
                }
                break
            }
            // Backtracking to an Armijo decrease.
            var t = 1.0
            var accepted: (theta: [Double], eval: LogisticLoss.Evaluation)? = nil
            while t * decrement > 1e-15 * scale {
                let trial = zip(theta, d).map { $0 + t * $1 }
                let e = try loss.evaluate(trial)
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
        }
        if !singular && iterations > 0 {
            // The Hessian at the final point decides whether the covariance exists.
            singular = try newtonStep(hessian: current.hessian, gradient: current.gradient, size: m).singular
        }
        return NewtonResult(theta: theta, evaluation: current, iterations: iterations, converged: gradientMet,
                            singular: singular, warnings: [])
    }

    /// Solves H d = −g by Cholesky; when H is singular (or nearly, κ₁ > 10¹³), by its
    /// pseudo-inverse (eigenvalues below 10⁻¹² of the largest dropped).
    static func newtonStep(hessian: [Double], gradient: [Double], size m: Int) throws(SciLearnError) -> (step: [Double], singular: Bool) {
        var a = hessian
        var d = gradient.map { -$0 }
        let rcond = try a.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
            try LAPACK.choleskyUpper(n: m, a: ap.baseAddress!, lda: m)
        }
        if let rcond, rcond > 1e-13 {
            try a.withUnsafeBufferPointer { (ap) throws(SciLearnError) in
                try d.withUnsafeMutableBufferPointer { (dp) throws(SciLearnError) in
                    try LAPACK.choleskySolve(n: m, nrhs: 1, factor: ap.baseAddress!, lda: m, b: dp.baseAddress!, ldb: m)
                }
            }
            return (d, false)
        }
        var v = hessian
        let lambda = try v.withUnsafeMutableBufferPointer { (vp) throws(SciLearnError) in
            try LAPACK.symmetricEigen(n: m, a: vp.baseAddress!, lda: m)
        }
        let cut = (lambda.last ?? 0) * 1e-12
        var out = [Double](repeating: 0, count: m)
        for k in 0..<m where lambda[k] > cut {
            var vg = 0.0
            for i in 0..<m { vg += v[i + k * m] * gradient[i] }
            let c = -vg / lambda[k]
            for i in 0..<m { out[i] += v[i + k * m] * c }
        }
        return (out, true)
    }
}
