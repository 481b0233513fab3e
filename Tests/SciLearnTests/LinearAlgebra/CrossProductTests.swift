import CLapack
import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// `TallRows.crossProduct()` (the engine's one blocked, split `dsyrk`, which ridge, ridge_cv
/// and the elastic net's Gram path use) for a width where each 16,384-row block is split into
/// several buffers: it equals one `dsyrk` over all rows to rounding, is identical with one and
/// two threads, and stops when cancelled.
@Suite(.ownThread(.computing)) struct CrossProductTests {
    /// The rows of a plain matrix.
    struct Rows: TallRows {
        let x: Matrix
        var rows: Int { x.rows }
        var width: Int { x.columns }
        func fill(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, ld: Int) {
            for j in 0..<x.columns { for (k, i) in range.enumerated() { out[k + j * ld] = x[i, j] } }
        }
        func fillRows(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, stride: Int) {
            for (k, i) in range.enumerated() { for j in 0..<x.columns { out[k * stride + j] = x[i, j] } }
        }
    }

    static func design(n: Int, p: Int) -> Matrix {
        Matrix(rows: n, columns: p, columnMajor: (0..<(n * p)).map { sin(Double($0) * 0.37) })
    }

    /// On a thread of its own: seconds of products the other suites' servers must not wait for.
    @Test func blockedBuffersMatchOneProduct() async throws {
        try await OwnThread.run { try Self.blockedBuffers() }
    }

    static func blockedBuffers() throws {
        let n = 40_000, p = 200
        let x = Self.design(n: n, p: p)
        let g = try Rows(x: x).crossProduct()
        var reference = [Double](repeating: 0, count: p * p)
        x.withUnsafeBufferPointer { xs in
            reference.withUnsafeMutableBufferPointer { rs in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(n), 1, xs.baseAddress!, Int32(n), 0, rs.baseAddress!, Int32(p))
            }
        }
        for j in 0..<p {
            for i in 0...j {
                let r = reference[i + j * p]
                #expect(abs(g[i + j * p] - r) <= 1e-12 * max(1, abs(r)), "[\(i), \(j)]")
                #expect(g[i + j * p] == g[j + i * p])
            }
        }
        let one = try Parallelism.withThreadLimit(1) { try Rows(x: x).crossProduct() }
        #expect(one == g, "identical with one thread and with two")
    }

    @Test func aCancelledTokenStopsIt() {
        let token = CancellationToken()
        token.cancel()
        let x = Self.design(n: 20_000, p: 200)
        let result = Result { () throws(SciLearnError) in try token.run { () throws(SciLearnError) in try Rows(x: x).crossProduct() } }
        if case .failure(let e) = result { #expect(e.kind == .cancelled) } else { Issue.record("not cancelled") }
    }
}
