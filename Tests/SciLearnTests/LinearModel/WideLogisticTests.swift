import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// Two-class L2 logistic regression with more terms than samples, solved in the samples' space
/// (`WideBinaryLogistic`), against the q-dimensional Newton method on the same data: the same
/// optimum (coefficients and probabilities to rounding of a converged Newton method), with and
/// without an intercept, with sample weights; and a 50 × 30,000 fit answered within the default
/// limits in O(n·p) memory.
@Suite(.ownThread(.computing)) struct WideLogisticTests {
    static func data(n: Int, p: Int, seed: UInt64) -> (Matrix, [Int]) {
        var state = seed
        func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) * 0x1p-53 - 0.5
        }
        let x = Matrix(rows: n, columns: p, columnMajor: (0..<(n * p)).map { _ in next() })
        let labels = (0..<n).map { i in (x[i, 0] + x[i, 1] + 0.3 * next()) > 0 ? 1 : 0 }
        return (x, labels)
    }

    /// The q-dimensional Newton method on the same problem (what a narrow fit runs).
    static func narrow(_ x: Matrix, _ labels: [Int], weights: [Double], fitIntercept: Bool, lambda: Double) throws -> (w: [Double], b: Double) {
        let loss = LogisticLoss(x: x, labels: labels, weights: weights, classes: 2, fitIntercept: fitIntercept, lambda: lambda)
        let r = try LogisticRegression.newton(loss, maxIter: 100, tol: 1e-10, finalHessian: false)
        let w = loss.weightsMatrix(r.theta), q = loss.terms
        return (Array(w[q..<(q + x.columns)]), fitIntercept ? w[q + x.columns] : 0)
    }

    /// On a thread of its own, as every fit of seconds: the cooperative threads are other
    /// suites' servers' (a sync test of 36 s here kept two HTTP servers from starting once).
    @Test(arguments: [true, false])
    func samplesSpaceNewtonReachesTheSameOptimum(_ fitIntercept: Bool) async throws {
        try await OwnThread.run { try Self.sameOptimum(fitIntercept) }
    }

    static func sameOptimum(_ fitIntercept: Bool) throws {
        let (x, labels) = Self.data(n: 40, p: 120, seed: 0x5EED)
        let weights = (0..<40).map { 0.5 + Double($0 % 3) * 0.5 }
        for lambda in [1.0, 0.05] {
            let ref = try Self.narrow(x, labels, weights: weights, fitIntercept: fitIntercept, lambda: lambda)
            let wide = try WideBinaryLogistic(x: x, labels: labels, weights: weights, fitIntercept: fitIntercept, lambda: lambda)
            let r = try LogisticRegression.newton(wide, maxIter: 100, tol: 1e-10, finalHessian: false)
            let w = wide.slopes(r.theta), b = fitIntercept ? r.theta[40] : 0
            let scale = max(1, ref.w.map(abs).max()!)
            let worst = zip(w, ref.w).map { abs($0 - $1) }.max()! / scale
            #expect(worst < 1e-10, "λ \(lambda): slopes differ by \(worst)")
            #expect(abs(b - ref.b) < 1e-10 * max(1, abs(ref.b)), "λ \(lambda): intercept \(b) vs \(ref.b)")
            #expect(r.converged)
        }
    }

    /// Through the estimator: routed to the samples' space, the same coefficients as the narrow
    /// solver, and a 50 × 30,000 fit (16 MB of JSON, refused before at "about 53.7 GiB") within
    /// the default limits.
    @Test func theEstimatorRoutesWideFitsAndTheirCostIsSmall() async throws {
        try await OwnThread.run { try Self.routesWideFits() }
    }

    static func routesWideFits() throws {
        let (x, labels) = Self.data(n: 30, p: 2_100, seed: 42)
        #expect(LogisticRegression.solvesInSamplesSpace(rows: 30, columns: 2_100, classes: 2, penalty: .l2))
        #expect(!LogisticRegression.solvesInSamplesSpace(rows: 30, columns: 2_000, classes: 2, penalty: .l2), "narrower fits keep the q-dimensional path")
        let model = try LogisticRegression(c: 2).fit(x, labels.map(Double.init))
        let ref = try Self.narrow(x, labels, weights: [Double](repeating: 1, count: 30), fitIntercept: true, lambda: 0.5)
        let worst = (0..<2_100).map { abs(model.coefficients[0, $0] - ref.w[$0]) }.max()!
        #expect(worst < 1e-10 * max(1, ref.w.map(abs).max()!))
        let cost = LogisticRegression.estimatedCost(rows: 50, columns: 30_000, classes: 2, maxIter: 100)
        #expect(cost.memoryBytes < 1e7 && cost.flops < 1e9, "\(cost)")
        let (big, bigLabels) = Self.data(n: 50, p: 30_000, seed: 7)
        let fit = try LogisticRegression(c: 1).fit(big, bigLabels.map(Double.init))
        #expect(fit.converged && fit.coefficients.columns == 30_000)
    }
}
