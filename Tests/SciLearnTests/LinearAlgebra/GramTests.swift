import CLapack
import Foundation
import Testing
@testable import SciLearn

/// `Matrix.gram()` for a width where each 16,384-row block is split into several rank-k updates
/// (one per ~10⁸ flops, a cancellation check before each): it equals one `dsyrk` over all rows
/// to rounding, and stops when cancelled.
@Suite struct GramTests {
    static func design(n: Int, p: Int) -> Matrix {
        Matrix(rows: n, columns: p, columnMajor: (0..<(n * p)).map { sin(Double($0) * 0.37) })
    }

    @Test func splitUpdatesMatchOneProduct() throws {
        let n = 20_000, p = 200   // 3,355 rows per update: several updates per block
        let x = Self.design(n: n, p: p)
        let g = try x.gram()
        var reference = [Double](repeating: 0, count: p * p)
        x.withUnsafeBufferPointer { xs in
            reference.withUnsafeMutableBufferPointer { rs in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(n), 1, xs.baseAddress!, Int32(n), 0, rs.baseAddress!, Int32(p))
            }
        }
        for j in 0..<p {
            for i in 0...j {
                let r = reference[i + j * p]
                #expect(abs(g[i, j] - r) <= 1e-12 * max(1, abs(r)), "[\(i), \(j)]")
                #expect(g[i, j] == g[j, i])
            }
        }
    }

    @Test func aCancelledTokenStopsIt() {
        let token = CancellationToken()
        token.cancel()
        let x = Self.design(n: 20_000, p: 200)
        let result = Result { () throws(SciLearnError) in try token.run { () throws(SciLearnError) in try x.gram() } }
        if case .failure(let e) = result { #expect(e.kind == .cancelled) } else { Issue.record("not cancelled") }
    }
}
