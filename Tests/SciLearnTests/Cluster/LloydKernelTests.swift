import CKernels
import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// The assignment kernel (`scilearn_lloyd_chunk`) on every path this CPU has against the scalar
/// path, where the AVX2 path's single-precision distances are most likely to be wrong: rows at
/// or within 1e-9 of the bisector of two centres (near ties, which the certificate must send
/// back to double), rows and centres at magnitudes float cannot hold or holds only as subnormals
/// (1e-300, 1e-42, 1e39, 1e200), and ordinary rows around them. Labels, the reduced distances
/// when asked, the sums and the weights must be the scalar path's bits.
@Suite(.serialized, .ownThread(.computing)) struct LloydKernelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let scale: Double
        let columns: Int
        let clusters: Int
        var testDescription: String { "scale \(scale), d = \(columns), k = \(clusters)" }
    }

    static let cases: [Case] = [1, 1e-300, 1e-42, 1e39, 1e200, 3e7].flatMap { s in
        [Case(scale: s, columns: 20, clusters: 16), Case(scale: s, columns: 3, clusters: 5), Case(scale: s, columns: 1, clusters: 2)]
    }

    /// Rows (column-major, n × d) of three kinds in turn: near a centre, on the bisector of two
    /// centres (exactly, as far as rounding lets the midpoint be formed), and within 1e-9 of it.
    static func data(_ c: Case, rows n: Int) -> (x: [Double], centres: [Double]) {
        var g = SeededGenerator(seed: 11)
        let d = c.columns, k = c.clusters
        let centres = (0..<(k * d)).map { _ in (g.nextUnit() * 2 - 1) * c.scale }
        var x = [Double](repeating: 0, count: n * d)
        for i in 0..<n {
            let a = Int(g.nextUnit() * Double(k)) % k, b = (a + 1 + Int(g.nextUnit() * Double(k - 1))) % k
            let kind = i % 3
            let nudge = kind == 2 ? (g.nextUnit() - 0.5) * 2e-9 : 0
            for j in 0..<d {
                let ca = centres[a * d + j], cb = centres[b * d + j]
                x[i + j * n] = kind == 0 ? ca + (g.nextUnit() - 0.5) * 0.3 * c.scale : (ca + cb) / 2 + nudge * c.scale
            }
        }
        return (x, centres)
    }

    struct Output: Equatable {
        var labels: [Int32]
        var best: [UInt64]
        var sums: [UInt64]
        var weights: [UInt64]
    }

    static func run(_ x: [Double], rows n: Int, columns d: Int, centres: [Double], clusters k: Int, best: Bool, sums: Bool) -> Output {
        let (ct, cc) = LloydPass.featureMajor(centres, count: k, columns: d)
        var labels = [Int32](repeating: -1, count: n)
        var b = [Double](repeating: .nan, count: n)
        var s = [Double](repeating: 0, count: k * d), w = [Double](repeating: 0, count: k)
        x.withUnsafeBufferPointer { xp in
            labels.withUnsafeMutableBufferPointer { lp in
                b.withUnsafeMutableBufferPointer { bp in
                    s.withUnsafeMutableBufferPointer { sp in
                        w.withUnsafeMutableBufferPointer { wp in
                            _ = scilearn_lloyd_chunk(xp.baseAddress, n, d, 0, n, ct, cc, k, nil, lp.baseAddress, best ? bp.baseAddress : nil, nil,
                                                     sums ? sp.baseAddress : nil, sums ? wp.baseAddress : nil, nil, 0)
                        }
                    }
                }
            }
        }
        return Output(labels: labels, best: best ? b.map(\.bitPattern) : [], sums: s.map(\.bitPattern), weights: w.map(\.bitPattern))
    }

    @Test(arguments: cases)
    func everyPathGivesTheScalarPathsBits(_ c: Case) {
        let n = 3_001
        let (x, centres) = Self.data(c, rows: n)
        let available = scilearn_set_kernel_level(2)
        defer { _ = scilearn_set_kernel_level(2) }
        for best in [false, true] {
            for sums in [false, true] {
                _ = scilearn_set_kernel_level(0)
                let reference = Self.run(x, rows: n, columns: c.columns, centres: centres, clusters: c.clusters, best: best, sums: sums)
                #expect(reference.labels.allSatisfy { $0 >= 0 && $0 < c.clusters })
                for level in 1...max(1, available) where level <= available {
                    _ = scilearn_set_kernel_level(Int32(level))
                    let other = Self.run(x, rows: n, columns: c.columns, centres: centres, clusters: c.clusters, best: best, sums: sums)
                    let differing = zip(other.labels, reference.labels).filter { $0 != $1 }.count
                    #expect(differing == 0, "level \(level): \(differing) labels differ (best \(best), sums \(sums))")
                    let same = other == reference  // (a Bool: a failure names the case, not 3,001 labels)
                    #expect(same, "level \(level), best \(best), sums \(sums): labels, reduced distances, sums or weights differ")
                }
            }
        }
        #expect(available >= 1, "this machine's CPU has AVX2 + FMA: the vector paths were compared")
    }

    /// The near ties are real: on the scale-1 data the single-precision distances cannot order
    /// the bisector rows, so the certificate must have sent them back (a wrong certificate would
    /// show as differing labels above; this shows the case is not vacuous: double precision
    /// itself separates some of them by less than float's resolution).
    @Test func theBisectorRowsAreBelowSinglePrecision() {
        let c = Case(scale: 1, columns: 20, clusters: 16)
        let n = 3_001
        let (x, centres) = Self.data(c, rows: n)
        var close = 0
        for i in stride(from: 1, to: n, by: 3) {
            var ds = (0..<c.clusters).map { cl in (0..<c.columns).reduce(0.0) { $0 + pow(x[i + $1 * n] - centres[cl * c.columns + $1], 2) } }
            ds.sort()
            if ds[1] - ds[0] < 1e-6 * ds[0] { close += 1 }
        }
        #expect(close > 500, "\(close) rows within float's resolution of a tie")
    }
}
