import Foundation
import Testing
import SciLearnTestSupport
@testable import SciLearn

/// The wide minimum-norm solver (LQ by the tall-skinny QR of Aᵀ, then the n × n factor's SVD)
/// against the textbook route it replaced: the SVD of A itself (`dgesdd`), b = V Σ⁻¹ Uᵀ y and
/// diag(V Σ⁻² Vᵀ), on full-rank (the corrected seminormal equations), row-rank-deficient (the
/// singular vectors), intercept and degenerate designs.
@Suite(.ownThread(.computing)) struct WideLeastSquaresTests {
    /// The reference: pseudo-inverse through `dgesdd` of the n × q matrix.
    static func reference(x: Matrix, y: [Double], leadingOnes: Bool) throws -> (b: [Double], v: [Double], rank: Int, kappa: Double) {
        let n = x.rows, p = x.columns, q = p + (leadingOnes ? 1 : 0), off = leadingOnes ? 1 : 0
        var a = [Double](repeating: 0, count: n * q)
        for i in 0..<n {
            if leadingOnes { a[i] = 1 }
            for j in 0..<p { a[i + (j + off) * n] = x[i, j] }
        }
        let svd = try a.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
            try LAPACK.gesdd(m: n, n: q, a: ap.baseAddress!, lda: n, vectors: true)
        }
        let k = min(n, q)
        let tol = (svd.s.first ?? 0) * Double(max(n, q)) * Double.ulpOfOne
        let rank = svd.s.filter { $0 > tol }.count
        var b = [Double](repeating: 0, count: q), v = [Double](repeating: 0, count: q)
        for c in 0..<rank {
            var uy = 0.0
            for i in 0..<n { uy += svd.u[i + c * n] * y[i] }
            for j in 0..<q {
                let vt = svd.vt[c + j * k]
                b[j] += vt * uy / svd.s[c]
                v[j] += vt * vt / (svd.s[c] * svd.s[c])
            }
        }
        return (b, v, rank, rank > 0 ? svd.s[0] / svd.s[rank - 1] : 1)
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        let n: Int, p: Int, repeatedFrom: Int?, intercept: Bool, scale: Double
        var nearlyDependent = false
        /// Values from a multiplicative hash (full rank) rather than the structured formula.
        var hashed = false
        var testDescription: String { "\(n)×\(p)\(repeatedFrom.map { ", rows from \($0) on repeated" } ?? "")\(intercept ? ", intercept" : "")\(scale != 1 ? ", scale \(scale)" : "")" }
    }

    static let shapes: [Shape] = [
        Shape(n: 1, p: 5, repeatedFrom: nil, intercept: true, scale: 1),
        Shape(n: 5, p: 40, repeatedFrom: nil, intercept: false, scale: 1),
        Shape(n: 30, p: 200, repeatedFrom: nil, intercept: true, scale: 1),
        Shape(n: 30, p: 200, repeatedFrom: 20, intercept: true, scale: 1),
        Shape(n: 40, p: 3_000, repeatedFrom: 25, intercept: false, scale: 1),
        Shape(n: 200, p: 700, repeatedFrom: nil, intercept: true, scale: 1e-3),
        Shape(n: 160, p: 161, repeatedFrom: nil, intercept: false, scale: 1e6),
        // Rank-deficient with a retained σ of 1e-7 σ_max.
        Shape(n: 12, p: 20, repeatedFrom: nil, intercept: false, scale: 1, nearlyDependent: true),
        // Full row rank, well conditioned: the corrected seminormal equations.
        Shape(n: 30, p: 200, repeatedFrom: nil, intercept: true, scale: 1, hashed: true),
        // Full row rank but ill-conditioned (κ ≈ 10⁷ > 10⁴): the singular-vector route.
        Shape(n: 12, p: 20, repeatedFrom: nil, intercept: false, scale: 1, nearlyDependent: true, hashed: true),
    ]

    @Test(arguments: shapes) func matchesTheSVDOfA(_ shape: Shape) throws {
        let n = shape.n, p = shape.p
        var rows = [[Double]](repeating: [Double](repeating: 0, count: p), count: n)
        for i in 0..<n {
            let source = shape.repeatedFrom.map { i >= $0 ? i % $0 : i } ?? i
            for j in 0..<p {
                let v = shape.hashed ? ((source &* 2_654_435_761 &+ j &* 40_503 &+ 17) >> 5) % 2003
                                     : (source &* 7919 &+ j &* 104_729 &+ source &* j) % 2003
                rows[i][j] = shape.scale * (Double(v) / 1000 - 1)
            }
        }
        if shape.nearlyDependent {
            // The last row is the first plus 1e-7 of noise: σ_min ≈ 1e-7 · σ_max.
            for j in 0..<p { rows[n - 1][j] = rows[0][j] + 1e-7 * Double((j * 37) % 11 - 5) }
        }
        let x = Matrix(rows: rows)
        let y = (0..<n).map { Double(($0 * 48271) % 1009) / 100 }
        let ours = try LeastSquares.solveMinimumNormWide(x: x, y: y, leadingOnes: shape.intercept)
        let ref = try Self.reference(x: x, y: y, leadingOnes: shape.intercept)
        #expect(ours.rank == ref.rank)
        if shape.hashed { #expect(ref.rank == n, "a full-rank case") }
        let bScale = ref.b.map(abs).max() ?? 1, vScale = ref.v.map(abs).max() ?? 1
        // Either route's error is O(ε·κ) over the retained singular values (the problem's own
        // sensitivity): about 1e-13 on the well-conditioned designs, 1e-9 at κ = 10⁷.
        let tolerance = max(1e-12, 100 * Double.ulpOfOne * ref.kappa)
        for j in 0..<ref.b.count {
            #expect(abs(ours.coefficients[j] - ref.b[j]) <= tolerance * bScale, "b[\(j)]: \(ours.coefficients[j]) vs \(ref.b[j])")
            // At full row rank the fit is exact (df_resid = 0) and the variances go unused; the
            // solver does not form them there.
            if ref.rank < n {
                #expect(abs(ours.normalizedVariances[j] - ref.v[j]) <= tolerance * vScale, "variance[\(j)]: \(ours.normalizedVariances[j]) vs \(ref.v[j])")
            }
        }
    }

    @Test func anAllZeroDesignHasRankZero() throws {
        let x = Matrix(rows: 3, columns: 10)
        let s = try LeastSquares.solveMinimumNormWide(x: x, y: [1, 2, 3], leadingOnes: false)
        #expect(s.rank == 0)
        #expect(s.coefficients.allSatisfy { $0 == 0 })
        #expect(s.residualSumOfSquares == 14)
    }
}
