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
    }

    /// K ≥ 3 classes: labels from the first three columns' scores.
    static func multiclassData(n: Int, p: Int, k: Int, seed: UInt64) -> (Matrix, [Int]) {
        let (x, _) = Self.data(n: n, p: p, seed: seed)
        let labels = (0..<n).map { i -> Int in
            let t = x[i, 0] + 0.7 * x[i, 1] - 0.4 * x[i, 2]
            return min(k - 1, max(0, Int((t + 1.1) / 2.2 * Double(k))))
        }
        return (x, labels)
    }

    /// The multinomial samples'-space solver reaches the q-dimensional Newton method's optimum:
    /// K × q coefficients to 1e-10 of their scale, with and without intercepts, with sample
    /// weights, at two penalties.
    @Test(arguments: [true, false])
    func multinomialSamplesSpaceNewtonReachesTheSameOptimum(_ fitIntercept: Bool) async throws {
        try await OwnThread.run { try Self.sameMultinomialOptimum(fitIntercept) }
    }

    static func sameMultinomialOptimum(_ fitIntercept: Bool) throws {
        let n = 30, p = 70, k = 4
        let (x, labels) = Self.multiclassData(n: n, p: p, k: k, seed: 0xC1A55)
        #expect(Set(labels).count == k)
        let weights = (0..<n).map { 0.5 + Double($0 % 3) * 0.5 }
        for lambda in [1.0, 0.05] {
            let loss = LogisticLoss(x: x, labels: labels, weights: weights, classes: k, fitIntercept: fitIntercept, lambda: lambda)
            let narrow = try LogisticRegression.newton(loss, maxIter: 100, tol: 1e-10, finalHessian: false)
            let ref = loss.weightsMatrix(narrow.theta)
            let wide = try WideMultinomialLogistic(x: x, labels: labels, weights: weights, classes: k, fitIntercept: fitIntercept, lambda: lambda)
            let r = try LogisticRegression.newton(wide, maxIter: 100, tol: 1e-10, finalHessian: false)
            let w = loss.weightsMatrix(wide.reducedTheta(r.theta))
            let scale = max(1, ref.map(abs).max()!)
            let worst = zip(w, ref).map { abs($0 - $1) }.max()! / scale
            #expect(worst < 1e-10, "λ \(lambda): coefficients differ by \(worst)")
            #expect(r.converged && narrow.converged)
            // The same objective at the same point.
            let f = try loss.evaluate(wide.reducedTheta(r.theta), hessian: false).value
            #expect(abs(f - r.evaluation.value) <= 1e-12 * abs(f), "objective \(r.evaluation.value) vs \(f)")
        }
    }

    /// Through the estimator: 200 × 5,000 with 10 classes (refused before: its 45,009² Hessian is
    /// 16 GB) is routed to the samples' space, estimated within the default limits, and answered.
    @Test func aWideMultinomialFitIsAnswered() async throws {
        try await OwnThread.run { try Self.wideMultinomialFit() }
    }

    static func wideMultinomialFit() throws {
        #expect(LogisticRegression.solvesInSamplesSpace(rows: 200, columns: 5_000, classes: 10, penalty: .l2))
        #expect(!LogisticRegression.solvesInSamplesSpace(rows: 200, columns: 100, classes: 10, penalty: .l2), "a narrow fit keeps the q-dimensional path")
        let cost = LogisticRegression.estimatedCost(rows: 200, columns: 5_000, classes: 10, maxIter: 100)
        #expect(cost.memoryBytes < 2e8 && cost.flops < 2e11, "\(cost)")
    }

    /// Issue 18's wide shapes against scikit-learn 1.9.1 (`generate.py wide-logistic`, the same X
    /// rebuilt from the seed): 200 × 5,000 with 10 classes and 50 × 30,000 with two, C = 1. The
    /// objective C·Σℓ + ½‖W‖² is no worse than scikit-learn's at its default tolerance, and the
    /// probabilities are within 1e-8 of its tightly converged fit (newton-cg, tol 1e-12).
    @Test func wideFitsMatchScikitLearn() async throws {
        try await OwnThread.run { try Self.wideFitsAgainstReference() }
    }

    static func wideFitsAgainstReference() throws {
        let fixture = try #require(try Fixtures.json("wide-logistic.json") as? [String: Any])
        let cases = try #require(fixture["cases"] as? [[String: Any]])
        #expect(cases.count == 2)
        for c in cases {
            let name = c["name"] as! String, n = c["rows"] as! Int, p = c["columns"] as! Int, k = c["classes"] as! Int
            let seed = UInt64(c["seed"] as! Int)
            let (x, labels) = k == 2 ? Self.data(n: n, p: p, seed: seed) : Self.multiclassData(n: n, p: p, k: k, seed: seed)
            #expect(labels == c["labels"] as! [Int], "\(name): the rebuilt data differ from the generator's")
            let model = try LogisticRegression(c: 1).fit(x, labels.map(Double.init))
            #expect(model.converged, "\(name)")
            let proba = try model.probabilities(x)
            var loss = 0.0
            for i in 0..<n { loss -= log(proba[i, labels[i]]) }
            var squares = 0.0
            for row in 0..<model.coefficients.rows { for j in 0..<p { squares += model.coefficients[row, j] * model.coefficients[row, j] } }
            let objective = loss + 0.5 * squares
            let def = c["default_objective"] as! Double, tight = c["tight_objective"] as! Double
            #expect(objective <= def, "\(name): objective \(objective) vs scikit-learn's \(def)")
            // Measured: 3e-15 and 2e-16 relative (the reference's own line search stops there).
            #expect(abs(objective - tight) <= 1e-12 * tight, "\(name): objective \(objective) vs the tight reference's \(tight)")
            let reference = c["tight_probabilities"] as! [[Double]]
            var worst = 0.0
            for i in 0..<n { for j in 0..<k { worst = max(worst, abs(proba[i, j] - reference[i][j])) } }
            // The bar is 1e-8; measured 1.2e-12 (multinomial) and 1.6e-11 (two classes).
            #expect(worst <= 2e-10, "\(name): probabilities differ by \(worst)")
            print("wide logistic \(name): objective \(objective) (scikit-learn default \(def), tight \(tight)), worst probability \(worst), \(model.iterations) Newton steps")
        }
    }
}
