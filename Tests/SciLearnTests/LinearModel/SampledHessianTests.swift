import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// Newton's method with sampled Hessians far from the optimum (two classes, at least 200 rows
/// a term): it samples, and reaches the optimum the full-Hessian method reaches, to rounding of
/// a converged Newton method, with a penalty and without one (statsmodels `Logit` inference,
/// whose covariance must come from a full Hessian at the end).
@Suite(.ownThread(.computing)) struct SampledHessianTests {
    /// The same loss, without the sampling capability (the protocol's default: never samples).
    struct Unsampled: NewtonProblem {
        let loss: LogisticLoss
        var size: Int { loss.size }
        var penalized: Bool { loss.penalized }
        func evaluate(_ theta: [Double], hessian: Bool) throws(SciLearnError) -> LogisticLoss.Evaluation {
            try loss.evaluate(theta, hessian: hessian)
        }
        func factorize(_ evaluation: LogisticLoss.Evaluation) throws(SciLearnError) -> LogisticRegression.NewtonFactor {
            try loss.factorize(evaluation)
        }
    }

    /// 24,000 × 10 with weights of mixed sign and magnitude; labels drawn from a logistic model
    /// (no separation), sorted by class so that the sampled chunks must still see both.
    static func data() -> (Matrix, [Int]) {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) * 0x1p-53
        }
        let n = 24_000, p = 10
        var rows: [([Double], Int)] = []
        for _ in 0..<n {
            let x = (0..<p).map { _ in 4 * (next() - 0.5) }
            var t = -0.4
            for j in 0..<p { t += Double(j % 3 + 1) * (j % 2 == 0 ? 0.3 : -0.2) * x[j] }
            rows.append((x, next() < 1 / (1 + exp(-t)) ? 1 : 0))
        }
        rows.sort { $0.1 < $1.1 }
        var values = [Double](repeating: 0, count: n * p)
        for (i, r) in rows.enumerated() { for j in 0..<p { values[i + j * n] = r.0[j] } }
        return (Matrix(rows: n, columns: p, columnMajor: values), rows.map(\.1))
    }

    @Test(arguments: [0.5, 0.0])
    func sampledNewtonReachesTheFullNewtonOptimum(lambda: Double) throws {
        let (x, labels) = Self.data()
        let loss = LogisticLoss(x: x, labels: labels, weights: [Double](repeating: 1, count: x.rows), classes: 2,
                                fitIntercept: true, lambda: lambda)
        #expect(loss.canSampleHessian)
        let tol = 1e-4 * Double(x.rows)
        let sampled = try LogisticRegression.newton(loss, maxIter: 100, tol: tol, finalHessian: lambda == 0)
        let full = try LogisticRegression.newton(Unsampled(loss: loss), maxIter: 100, tol: tol, finalHessian: lambda == 0)
        #expect(sampled.counts.sampledHessians >= 1, "the first Hessians are sampled")
        #expect(full.counts.sampledHessians == 0)
        #expect(sampled.converged && full.converged)
        #expect(!sampled.evaluation.sampledHessian)
        for j in 0..<loss.size {
            #expect(abs(sampled.theta[j] - full.theta[j]) <= 1e-10 * max(1, abs(full.theta[j])), "θ[\(j)]")
        }
        if lambda == 0 {
            // The covariance's source: the final Hessians agree as the optima do.
            let hs = sampled.evaluation.hessian, hf = full.evaluation.hessian
            #expect(hs.count == hf.count && !hs.isEmpty)
            for i in hs.indices { #expect(abs(hs[i] - hf[i]) <= 1e-9 * max(1, abs(hf[i])), "H[\(i)]") }
        }
    }

    /// Stopped far from the optimum (max_iter 1, no penalty): Logit inference still gets the
    /// full Hessian at the final point, not the sampled one the loop ended with.
    @Test func inferenceAfterAnEarlyStopUsesTheFullHessian() throws {
        let (x, labels) = Self.data()
        let loss = LogisticLoss(x: x, labels: labels, weights: [Double](repeating: 1, count: x.rows), classes: 2,
                                fitIntercept: true, lambda: 0)
        let result = try LogisticRegression.newton(loss, maxIter: 1, tol: 1e-4 * Double(x.rows), finalHessian: true)
        #expect(result.iterations == 1 && !result.converged)
        #expect(result.counts.sampledHessians >= 1)
        #expect(!result.evaluation.sampledHessian)
        let full = try loss.evaluate(result.theta, hessian: true)
        #expect(result.evaluation.hessian.map(\.bitPattern) == full.hessian.map(\.bitPattern))
    }

    /// Fewer than 200 rows a term: never sampled (the fixtures' small problems are unchanged).
    @Test func smallProblemsAreNotSampled() {
        let x = Matrix(rows: 1000, columns: 10, columnMajor: (0..<10_000).map { sin(Double($0)) })
        let loss = LogisticLoss(x: x, labels: (0..<1000).map { $0 % 2 }, weights: [Double](repeating: 1, count: 1000),
                                classes: 2, fitIntercept: true, lambda: 1)
        #expect(!loss.canSampleHessian)
    }
}
