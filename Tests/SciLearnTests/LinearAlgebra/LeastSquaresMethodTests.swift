import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// OLS picks its factorisation by the design's conditioning (`LeastSquares.factorAugmented`):
/// the Gram matrix's Cholesky factor refined on the residual for a nearly orthogonal design,
/// CholeskyQR2 for a moderately conditioned one, the tall-skinny Householder QR beyond. The
/// first two must give what the Householder QR gives, to the digits its accuracy allows.
@Suite(.ownThread(.computing)) struct LeastSquaresMethodTests {
    /// n × 6 columns of a seeded uniform generator; column 1 is column 0 plus `coupling` times
    /// fresh noise (a smaller coupling, a worse condition); y = 2 + X·b + noise of 0.3.
    static func problem(n: Int, coupling: Double, mean: Double = 5) -> (x: Matrix, y: [Double]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        let p = 6
        var values = [Double](repeating: 0, count: n * p), y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<p { values[i + j * n] = mean + next() }
            values[i + n] = values[i] + coupling * next()
            var v = 2.0
            for j in 0..<p { v += Double(j + 1) * 0.5 * values[i + j * n] }
            y[i] = v + 0.3 * next()
        }
        return (Matrix(rows: n, columns: p, columnMajor: values), y)
    }

    /// The centred augmented design, its triangular factor by each method, and the
    /// Householder QR's solution for comparison.
    static func factors(_ x: Matrix, _ y: [Double]) throws -> (method: LeastSquares.FactorMethod, b: [Double], householderB: [Double], ssr: Double, householderSSR: Double, r: [Double], householderR: [Double]) {
        let n = x.rows, p = x.columns, w = p + 1
        let means = try AccurateSum.columnMeans(x)
        let yMean = y.withUnsafeBufferPointer { AccurateSum.mean($0.baseAddress!, count: n) }
        let design = AugmentedDesign(x: x, y: y, xShift: means.map(\.value), yShift: yMean.value, leadingOnes: false)
        let (_, method) = try LeastSquares.factorAugmented(design, p: p)
        guard case .fullRank(let s) = try LeastSquares.solveFullRank(x: x, y: y, xMeans: means, yMean: yMean) else {
            throw SciLearnError(.numericalFailure, field: nil, "rank deficient")
        }
        let raug = try TallSkinnyQR.r(of: design)
        var r = [Double](repeating: 0, count: p * p)
        for j in 0..<p { for i in 0...j { r[i + j * p] = raug[i + j * w] } }
        var b = (0..<p).map { raug[$0 + p * w] }
        LeastSquares.triangularSolve(r, p: p, &b, transpose: false)
        let rho = raug[p + p * w]
        return (method, s.coefficients, b, s.residualSumOfSquares, rho * rho, s.r, r)
    }

    /// diag((RᵀR)⁻¹): what the standard errors are made of.
    static func variances(_ r: [Double], p: Int) throws -> [Double] {
        try LinearRegression.variances(fromR: r, p: p, xMeans: nil, n: 1)
    }

    /// Small problems (n·w² below `gramMinimumWork`) keep the Householder QR whatever their
    /// condition.
    @Test func smallProblemsKeepHouseholder() throws {
        let (x, y) = Self.problem(n: 500, coupling: 1)
        #expect(try Self.factors(x, y).method == .householder)
    }

    @Test(arguments: [(0.0, LeastSquares.FactorMethod.gram), (0.02, .choleskyQR2), (1e-7, .householder)])
    func methodFollowsTheCondition(coupling: Double, expected: LeastSquares.FactorMethod) throws {
        // coupling 0 makes column 1 a copy of column 0 shifted by nothing: use independent noise.
        let (x, y) = Self.problem(n: 50_000, coupling: coupling == 0 ? 1 : coupling)
        let f = try Self.factors(x, y)
        #expect(f.method == (coupling == 0 ? .gram : expected))
        let p = x.columns
        let size = f.householderB.map { abs($0) }.max()!
        // Coefficients: the Householder solution's own error grows like κ·ε; both agree with it
        // to a few hundred ulps of the largest coefficient scaled by the condition.
        let kappa = coupling == 0 ? 4.0 : 1 / coupling
        for j in 0..<p {
            #expect(abs(f.b[j] - f.householderB[j]) <= 64 * kappa * Double.ulpOfOne * size, "b[\(j)]")
        }
        #expect(abs(f.ssr - f.householderSSR) <= 1e-12 * f.householderSSR)
        if f.method != .householder {
            let v = try Self.variances(f.r, p: p), h = try Self.variances(f.householderR, p: p)
            for j in 0..<p { #expect(abs(v[j] - h[j]) <= 64 * kappa * Double.ulpOfOne * h[j], "variance \(j)") }
        }
    }

    /// Column means a thousand times the spread: centring happens before the Gram product, so
    /// the normal-equations path keeps its digits.
    @Test func farFromTheOriginStaysAccurate() throws {
        let (x, y) = Self.problem(n: 40_000, coupling: 1, mean: 1000)
        let f = try Self.factors(x, y)
        #expect(f.method == .gram)
        let size = f.householderB.map { abs($0) }.max()!
        for j in 0..<x.columns { #expect(abs(f.b[j] - f.householderB[j]) <= 256 * Double.ulpOfOne * size, "b[\(j)]") }
        #expect(abs(f.ssr - f.householderSSR) <= 1e-12 * f.householderSSR)
    }
}
