import Foundation
import Testing
import SciLearnTestSupport
@testable import SciLearn

/// Engine properties of the penalised linear models that the reference fixtures do not pin:
/// optimality conditions on every solver path, multi-target ridge, warm-started paths, the two
/// data views of coordinate descent, perfect separation, and cancellation.
@Suite(.ownThread(.computing)) struct RegularizedModelTests {
    /// A deterministic design: n × p with mildly correlated columns of mixed scales.
    static func design(_ n: Int, _ p: Int, seed: UInt64 = 1) -> (Matrix, [Double]) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        var x = Matrix(rows: n, columns: p)
        for i in 0..<n {
            let shared = next()
            for j in 0..<p { x[i, j] = (next() + 0.3 * shared) * Double(1 + j % 4) + Double(j % 3) }
        }
        let y = (0..<n).map { i in (0..<p).reduce(1.0) { $0 + x[i, $1] * Double(($1 % 5) - 2) / 3 } + next() }
        return (x, y)
    }

    /// ‖Xcᵀ(yc − Xc w) − α w‖∞ relative to ‖Xcᵀyc‖∞: the ridge optimality condition.
    static func ridgeResidual(_ x: Matrix, _ y: [Double], _ w: [Double], _ b: Double, alpha: Double) -> Double {
        let n = x.rows, p = x.columns
        let r = (0..<n).map { i in y[i] - b - (0..<p).reduce(0.0) { $0 + x[i, $1] * w[$1] } }
        var worst = 0.0, scale = 0.0
        for j in 0..<p {
            let mean = (0..<n).reduce(0.0) { $0 + x[$1, j] } / Double(n)
            let g = (0..<n).reduce(0.0) { $0 + (x[$1, j] - mean) * r[$1] } - alpha * w[j]
            let ym = y.reduce(0, +) / Double(n)
            scale = max(scale, abs((0..<n).reduce(0.0) { $0 + (x[$1, j] - mean) * (y[$1] - ym) }))
            worst = max(worst, abs(g))
        }
        return worst / scale
    }

    @Test(arguments: [(400, 8), (60, 45), (30, 80), (45, 45)])
    func ridgeSatisfiesItsNormalEquationsOnEveryPath(_ shape: (Int, Int)) throws {
        let (x, y) = Self.design(shape.0, shape.1)
        for alpha in [1e-3, 0.7, 50.0] {
            let m = try Ridge(alpha: alpha).fit(x, y)
            #expect(m.solver == (shape.0 >= 2 * shape.1 ? .cholesky : .svd))
            let res = Self.ridgeResidual(x, y, m.coefficients, m.intercept, alpha: alpha)
            #expect(res < 1e-10, "\(shape) α=\(alpha): optimality residual \(res)")
        }
    }

    @Test func choleskyAndSVDPathsAgree() throws {
        let (x, y) = Self.design(500, 12)
        let data = try CenteredData(x: x, targets: Matrix(rows: y.count, columns: 1, columnMajor: y), fitIntercept: true)
        let a = try #require(try Ridge.cholesky(data, alpha: 0.3))
        let b = try Ridge.svdTall(data, alpha: 0.3)
        let scale = b.map(abs).max()!
        for j in a.indices { #expect(abs(a[j] - b[j]) <= 1e-11 * scale) }
    }

    @Test func severalTargetsAreSeveralFits() throws {
        let (x, y) = Self.design(300, 6)
        let y2 = y.enumerated().map { $0.element * 0.5 - Double($0.offset % 7) }
        var t = Matrix(rows: 300, columns: 2)
        for i in 0..<300 { t[i, 0] = y[i]; t[i, 1] = y2[i] }
        for config in [Ridge(alpha: 2), Ridge(alpha: 0.1, fitIntercept: false)] {
            let both = try config.fit(x, targets: t)
            for (k, target) in [y, y2].enumerated() {
                let one = try config.fit(x, target)
                for j in 0..<6 { #expect(abs(both.coefficients[j, k] - one.coefficients[j]) <= 1e-13 * max(1, abs(one.coefficients[j]))) }
                #expect(abs(both.intercepts[k] - one.intercept) <= 1e-12 * max(1, abs(one.intercept)))
            }
        }
    }

    @Test func alphaZeroRidgeIsLeastSquares() throws {
        let (x, y) = Self.design(200, 5)
        let ridge = try Ridge(alpha: 0).fit(x, y)
        let ols = try LinearRegression().fit(x, y)
        // Two backward-stable solvers of a well-conditioned problem (Cholesky of the normal
        // equations, falling back to the SVD at α = 0, against Householder QR).
        let worst = (0..<5).map { abs(ridge.coefficients[$0] - ols.coefficients[$0]) / max(1, abs(ols.coefficients[$0])) }.max()!
        print("ridge alpha=0 vs OLS worst \(worst)")
        #expect(worst <= 3e-15, "worst 2.2e-16 measured")
    }

    @Test func ridgeCVPicksTheBestScoreFirstAmongTies() throws {
        let (x, y) = Self.design(120, 6)
        let cv = try RidgeCV(alphas: [3, 0.01, 3, 100]).fit(x, y)
        #expect(cv.scores.count == 4)
        #expect(cv.scores[0] == cv.scores[2])
        let best = cv.scores.max()!
        #expect(cv.bestScore == best)
        #expect(cv.alpha == [3, 0.01, 3, 100][cv.scores.firstIndex(of: best)!])
        // The chosen coefficients are ridge's at that α.
        let direct = try Ridge(alpha: cv.alpha).fit(x, y)
        for j in 0..<6 { #expect(abs(direct.coefficients[j] - cv.coefficients[j]) <= 1e-10 * max(1, abs(direct.coefficients[j]))) }
    }

    @Test func coordinateDescentIsTheSameOnColumnsAndOnTheGram() throws {
        let (x, y) = Self.design(300, 10)
        let data = try CenteredData(x: x, targets: Matrix(rows: 300, columns: 1, columnMajor: y), fitIntercept: true)
        let xc = data.centeredX()
        let yc = y.map { $0 - data.yMeans[0] }
        let c = try data.crossProducts()
        let g = (0..<10).flatMap { j in (0..<10).map { c[$0 + j * 11] } }
        let q = (0..<10).map { c[$0 + 10 * 11] }
        let yy = yc.reduce(0) { $0 + $1 * $1 }
        var columns = CoordinateDescent.Columns(x: xc, y: yc, w: [Double](repeating: 0, count: 10))
        var gram = CoordinateDescent.Gram(g: g, q: q, yy: c[10 + 10 * 11], w: [Double](repeating: 0, count: 10))
        let a = try CoordinateDescent.solve(&columns, w: [Double](repeating: 0, count: 10), l1: 15, l2: 3, tol: 1e-8, yy: yy, maxIter: 1000)
        let b = try CoordinateDescent.solve(&gram, w: [Double](repeating: 0, count: 10), l1: 15, l2: 3, tol: 1e-8, yy: yy, maxIter: 1000)
        #expect(a.iterations == b.iterations)
        for j in 0..<10 { #expect(abs(a.w[j] - b.w[j]) <= 1e-10 * max(1, abs(a.w[j]))) }
    }

    /// On the columns view (n < 2p) and on the Gram view (n ≥ 2p).
    @Test(arguments: [(80, 30), (400, 12)])
    func warmStartedPathMatchesSeparateFits(_ shape: (Int, Int)) throws {
        let (x, y) = Self.design(shape.0, shape.1)
        let alphas = [1.0, 0.3, 0.1, 0.03]
        let config = ElasticNet(l1Ratio: 0.8, tol: 1e-10)
        let path = try config.path(x, y, alphas: alphas)
        #expect(path.map(\.alpha) == alphas)
        for (k, alpha) in alphas.enumerated() {
            var one = config
            one.alpha = alpha
            let direct = try one.fit(x, y)
            #expect(path[k].converged && direct.converged)
            for j in 0..<shape.1 { #expect(abs(path[k].coefficients[j] - direct.coefficients[j]) <= 1e-6 * max(1, abs(direct.coefficients[j]))) }
        }
        // A warm start needs no more sweeps than a cold one, summed over the path.
        let cold = try alphas.map { a in var c = config; c.alpha = a; return try c.fit(x, y).iterations }.reduce(0, +)
        #expect(path.map(\.iterations).reduce(0, +) <= cold)
    }

    @Test func aLargeEnoughAlphaGivesZeroWithoutASweep() throws {
        let (x, y) = Self.design(100, 5)
        let m = try Lasso(alpha: 1e6).fit(x, y)
        #expect(m.coefficients.allSatisfy { $0 == 0 })
        #expect(m.iterations == 0 && m.converged)
        #expect(abs(m.intercept - y.reduce(0, +) / 100) < 1e-12)
    }

    @Test func perfectSeparationWithoutPenaltyIsANumericalFailure() throws {
        var x = Matrix(rows: 40, columns: 2)
        var y = [Double](repeating: 0, count: 40)
        for i in 0..<40 { x[i, 0] = Double(i); x[i, 1] = Double((i * 7) % 5); y[i] = i < 20 ? 0 : 1 }
        do {
            _ = try LogisticRegression(penalty: .none).fit(x, y)
            Issue.record("a separable problem has no finite estimate")
        } catch {
            #expect(error.kind == .numericalFailure)
            #expect(error.message.contains("perfect separation"))
        }
        let penalised = try LogisticRegression(penalty: .l2, c: 1).fit(x, y)
        #expect(penalised.converged && penalised.coefficients[0, 0] > 0)
    }

    @Test func oneClassIsInvalidData() {
        let x = Matrix(rows: [[1], [2], [3]])
        #expect(throws: SciLearnError(.invalidData, field: "y", "holds one class only (\"a\"); logistic regression needs at least two")) {
            try LogisticRegression().fit(x, ["a", "a", "a"])
        }
    }

    @Test func multinomialRowsSumToZero() throws {
        let (x, y0) = Self.design(150, 3)
        let sorted = y0.sorted(), lo = sorted[50], hi = sorted[100]
        let y = y0.map { $0 < lo ? "low" : ($0 < hi ? "mid" : "high") }
        for penalty in [LogisticRegression.Penalty.l2, .none] {
            let m = try LogisticRegression(penalty: penalty).fit(x, y)
            #expect(m.classes == .strings(["high", "low", "mid"]))
            for j in 0..<3 {
                let s = (0..<3).reduce(0.0) { $0 + m.coefficients[$1, j] }
                #expect(abs(s) < 1e-10)
            }
            #expect(abs(m.intercepts.reduce(0, +)) < 1e-10)
            let prob = try m.probabilities(x)
            for i in 0..<150 { #expect(abs((0..<3).reduce(0.0) { $0 + prob[i, $1] } - 1) < 1e-14) }
        }
    }

    @Test func cancelledTokensStopEveryIterativeFit() throws {
        let (x, y) = Self.design(2000, 20)
        let token = CancellationToken()
        token.cancel()
        let labels = y.map { $0 > 1 ? 1.0 : 0.0 }
        let small = Matrix(rows: 30, columns: 20, columnMajor: Array(x.storage.prefix(600)))
        func fit(_ k: Int) throws(SciLearnError) {
            switch k {
            case 0: _ = try Ridge().fit(x, y)
            case 1: _ = try RidgeCV().fit(x, y)
            case 2: _ = try Lasso(alpha: 0.01).fit(x, y)
            case 3: _ = try ElasticNet(alpha: 0.01).fit(small, Array(y.prefix(30)))
            default: _ = try LogisticRegression().fit(x, labels)
            }
        }
        for k in 0..<5 {
            do {
                try token.run { () throws(SciLearnError) in try fit(k) }
                Issue.record("fit \(k) ran under a cancelled token")
            } catch {
                #expect(error.kind == .cancelled, "fit \(k): \(error)")
            }
        }
    }
}
