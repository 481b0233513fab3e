import CKernels
import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// The assignment kernel (`scilearn_lloyd_chunk`) on every path this CPU has against the scalar
/// path, where the AVX2 path's single-precision distances are most likely to be wrong: rows at
/// or within 1e-9 of the bisector of two centres (near ties, which the certificate must send
/// back to double), rows 1e4 times farther out than the centres, and magnitudes where float's
/// range decides: 1e-20 (float subnormal distances, where the bound's absolute term decides),
/// 1e17 (centre norms just inside the path's 1e18 cutoff), and 1e-300, 1e-42, 1e39, 1e200 (float
/// cannot hold them, so every row must go back to double; at 1e-300 and 1e200 the double
/// distances themselves are all 0 or NaN, and every path must still agree). Labels, the reduced
/// distances when asked, the weighted and unweighted sums and the weights must be the scalar
/// path's bits (on the AVX2 path also when it streams X's single-precision copy); and the counted variant shows that the certificate did give labels where float
/// can, and did send rows back where it cannot.
@Suite(.serialized, .ownThread(.computing)) struct LloydKernelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let scale: Double
        let columns: Int
        let clusters: Int
        var testDescription: String { "scale \(scale), d = \(columns), k = \(clusters)" }
        /// Whether float can hold every distance (so some rows must be certified).
        var floatRange: Bool { scale >= 1e-3 && scale <= 1e17 }
    }

    static let cases: [Case] = [1, 1e-20, 1e17, 1e-300, 1e-42, 1e39, 1e200, 3e7].flatMap { s in
        [Case(scale: s, columns: 20, clusters: 16), Case(scale: s, columns: 3, clusters: 5), Case(scale: s, columns: 2, clusters: 1),
         Case(scale: s, columns: 6, clusters: 7)]
    }

    /// Rows (column-major, n × d) of four kinds in turn: near a centre, on the bisector of two
    /// centres (exactly, as far as rounding lets the midpoint be formed), within 1e-9 of it, and
    /// 1e4 times farther out than the centres.
    static func data(_ c: Case, rows n: Int) -> (x: [Double], centres: [Double], weights: [Double]) {
        var g = SeededGenerator(seed: 11)
        let d = c.columns, k = c.clusters
        let centres = (0..<(k * d)).map { _ in (g.nextUnit() * 2 - 1) * c.scale }
        var x = [Double](repeating: 0, count: n * d)
        for i in 0..<n {
            let a = Int(g.nextUnit() * Double(k)) % k, b = k == 1 ? 0 : (a + 1 + Int(g.nextUnit() * Double(k - 1))) % k
            let kind = i % 4
            let nudge = kind == 2 ? (g.nextUnit() - 0.5) * 2e-9 : 0
            for j in 0..<d {
                let ca = centres[a * d + j], cb = centres[b * d + j]
                switch kind {
                case 0: x[i + j * n] = ca + (g.nextUnit() - 0.5) * 0.3 * c.scale
                case 3: x[i + j * n] = ca * 1e4 + (g.nextUnit() - 0.5) * c.scale
                default: x[i + j * n] = (ca + cb) / 2 + nudge * c.scale
                }
            }
        }
        let weights = (0..<n).map { _ in g.nextUnit() * 3 }
        return (x, centres, weights)
    }

    struct Output: Equatable {
        var labels: [Int32]
        var best: [UInt64]
        var sums: [UInt64]
        var weights: [UInt64]
    }

    /// One kernel pass; `single`: with X's single-precision copy (`Float(x)`, as `KMeansData`
    /// rounds it) for the AVX2 path to stream, `norms`: and its rows' norms
    /// (`scilearn_single_norms`).
    static func run(_ x: [Double], rows n: Int, columns d: Int, centres: [Double], clusters k: Int, best: Bool, sums: Bool,
                    weights rowWeights: [Double]?, single: Bool = false, norms: Bool = false) -> (Output, certified: Int) {
        let xf = single ? x.map { Float($0) } : []
        var rowNorms = [Float](repeating: 0, count: norms ? n : 0)
        if norms { scilearn_single_norms(xf, n, d, 0, n, &rowNorms) }
        let (ct, cc) = LloydPass.featureMajor(centres, count: k, columns: d)
        var labels = [Int32](repeating: -1, count: n)
        var b = [Double](repeating: .nan, count: n)
        var s = [Double](repeating: 0, count: k * d), w = [Double](repeating: 0, count: k)
        var certified = 0
        let rw = rowWeights ?? []
        x.withUnsafeBufferPointer { xp in
            Self.singleRows(xf, norms: norms ? rowNorms : nil) { xfp in
                rw.withUnsafeBufferPointer { rwp in
                    labels.withUnsafeMutableBufferPointer { lp in
                        b.withUnsafeMutableBufferPointer { bp in
                            s.withUnsafeMutableBufferPointer { sp in
                                w.withUnsafeMutableBufferPointer { wp in
                                    _ = scilearn_lloyd_chunk_counted(xp.baseAddress, xfp, n, d, 0, n, ct, cc, k, rowWeights == nil ? nil : rwp.baseAddress,
                                                                     lp.baseAddress, best ? bp.baseAddress : nil, nil,
                                                                     sums ? sp.baseAddress : nil, sums ? wp.baseAddress : nil, nil, 0, &certified)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (Output(labels: labels, best: best ? b.map(\.bitPattern) : [], sums: s.map(\.bitPattern), weights: w.map(\.bitPattern)), certified)
    }

    /// The rows' single-precision norms the AVX2 tiles may be given: on every path one fused
    /// multiply-add chain over the features in order (`Float.addingProduct`), bit for bit.
    @Test func singleNormsAreOneFMAChainOnEveryPath() {
        KernelPathLock.holding {
            for c in [Case(scale: 1, columns: 20, clusters: 16), Case(scale: 1e-20, columns: 3, clusters: 5), Case(scale: 3e7, columns: 7, clusters: 2)] {
                let n = 1_003
                let xf = Self.data(c, rows: n).x.map { Float($0) }
                var reference = [Float](repeating: 0, count: n)
                for i in 0..<n { for j in 0..<c.columns { reference[i] = reference[i].addingProduct(xf[i + j * n], xf[i + j * n]) } }
                let available = scilearn_set_kernel_level(2)
                defer { _ = scilearn_set_kernel_level(2) }
                for level in 0...available {
                    _ = scilearn_set_kernel_level(Int32(level))
                    var norms = [Float](repeating: .nan, count: n - 2)
                    scilearn_single_norms(xf, n, c.columns, 2, n, &norms)
                    let differing = zip(norms, reference[2...]).count { $0.bitPattern != $1.bitPattern }
                    #expect(differing == 0, "level \(level), \(c.testDescription): \(differing) norms differ")
                }
            }
        }
    }

    /// k-means++'s candidate pass (`scilearn_candidate_potentials`, its distances swept four
    /// features at a time over blocks of rows) against the scalar formula written out here: each
    /// distance max(0, ‖x‖² + (‖c‖² − 2·Σⱼ xⱼcⱼ)) (NaN to 0), the dot product one FMA chain over
    /// the features in order from 0, and each candidate's potential, from the value it comes
    /// in with, plus Σ wᵣ·min(closestᵣ, distance) in row order; bit for bit on every path. The
    /// rows [5, n − 1) leave the last block of every block size with rows past its 4-row vectors;
    /// 1, 2, 3, 4, 7 and 300 candidates (300: its scratch on the heap); feature remainders of 0-3
    /// after the four-feature sweep; three candidates that are rows (distances a rounding error
    /// about 0: some negative, clipped), a row whose norm is NaN (clipped to 0) and one whose
    /// nearest distance so far is NaN.
    @Test func candidatePotentialsAreTheScalarFormulasBits() {
        KernelPathLock.holding {
            var clipped = 0
            for (d, m, scale) in [(20, 4, 1.0), (9, 3, 3e7), (1, 1, 1e-3), (6, 7, 1.0), (7, 2, 1.0), (5, 300, 1.0)] {
                let n = 2_203, r0 = 5, r1 = n - 1
                let c = Case(scale: scale, columns: d, clusters: 5)
                let (x, _, weights) = Self.data(c, rows: n)
                var g = SeededGenerator(seed: 3)
                var points = (0..<(m * d)).map { _ in (g.nextUnit() * 2 - 1) * scale }
                for (t, row) in [r0 + 3, r0 + 11, r0 + 20].enumerated() where t < m {
                    for j in 0..<d { points[t * d + j] = x[row + j * n] }
                }
                let (ct, cc) = LloydPass.featureMajor(points, count: m, columns: d)
                var norms = [Double](repeating: 0, count: n)
                for i in 0..<n { for j in 0..<d { norms[i] += x[i + j * n] * x[i + j * n] } }
                norms[r0 + 40] = .nan
                var closest = (0..<n).map { i in i % 5 == 0 ? Double.infinity : norms[i] * g.nextUnit() }
                closest[r0 + 41] = .nan
                let start = (0..<m).map { Double($0) * 0.25 + 1.5 }
                for weighted in [false, true] {
                    var reference = [Double](repeating: 0, count: m * (r1 - r0)), referencePot = start
                    for t in 0..<m {
                        for r in r0..<r1 {
                            var dot = 0.0
                            for j in 0..<d { dot = dot.addingProduct(x[r + j * n], ct[j * m + t]) }  // fma(x, c, dot)
                            let a = norms[r] + (cc[t] - 2 * dot)
                            let v = a >= 0 ? a : 0
                            if !(a >= 0) { clipped += 1 }
                            reference[t * (r1 - r0) + (r - r0)] = v
                            let near = v < closest[r] ? v : closest[r]
                            referencePot[t] += weighted ? weights[r] * near : near
                        }
                    }
                    let available = scilearn_set_kernel_level(2)
                    defer { _ = scilearn_set_kernel_level(2) }
                    for level in 0...available {
                        _ = scilearn_set_kernel_level(Int32(level))
                        var dist = [Double](repeating: .nan, count: m * (r1 - r0)), pot = start
                        weights.withUnsafeBufferPointer { w in
                            scilearn_candidate_potentials(x, n, d, r0, r1, ct, cc, m, weighted ? w.baseAddress : nil, norms, closest, &dist, r1 - r0, &pot)
                        }
                        let differing = zip(dist, reference).count { $0.bitPattern != $1.bitPattern }
                        #expect(differing == 0, "level \(level), d = \(d), m = \(m), weighted \(weighted): \(differing) distances differ")
                        #expect(pot.map(\.bitPattern) == referencePot.map(\.bitPattern), "level \(level), d = \(d), m = \(m), weighted \(weighted): potentials differ")
                    }
                }
            }
            // The NaN norm's row alone is clipped once per candidate and weighting; rows that are
            // candidates add rounding errors below 0.
            #expect(clipped > 2 * (4 + 3 + 1 + 7 + 2 + 300), "\(clipped) distances clipped: none below 0 but the NaN row's")
        }
    }

    /// The kernel's description of a single-precision copy (nil when `xf` is empty).
    static func singleRows<R>(_ xf: [Float], norms: [Float]?, _ body: (UnsafePointer<scilearn_single_rows>?) -> R) -> R {
        guard !xf.isEmpty else { return body(nil) }
        return xf.withUnsafeBufferPointer { x in
            (norms ?? []).withUnsafeBufferPointer { nr in
                var rows = scilearn_single_rows(x: x.baseAddress, norms: norms == nil ? nil : nr.baseAddress)
                return withUnsafePointer(to: &rows) { body($0) }
            }
        }
    }

    @Test(arguments: cases)
    func everyPathGivesTheScalarPathsBits(_ c: Case) {
        KernelPathLock.holding {
            let n = 3_001
            let (x, centres, rowWeights) = Self.data(c, rows: n)
            let available = scilearn_set_kernel_level(2)
            defer { _ = scilearn_set_kernel_level(2) }
            for best in [false, true] {
                for (sums, weighted) in [(false, false), (true, false), (true, true)] {
                    _ = scilearn_set_kernel_level(0)
                    let (reference, none) = Self.run(x, rows: n, columns: c.columns, centres: centres, clusters: c.clusters, best: best, sums: sums,
                                                     weights: weighted ? rowWeights : nil)
                    #expect(none == 0, "the scalar path certifies nothing")
                    #expect(reference.labels.allSatisfy { $0 >= 0 && $0 < c.clusters })
                    for level in 1...max(1, available) where level <= available {
                        _ = scilearn_set_kernel_level(Int32(level))
                        let (other, certified) = Self.run(x, rows: n, columns: c.columns, centres: centres, clusters: c.clusters, best: best, sums: sums,
                                                          weights: weighted ? rowWeights : nil)
                        let differing = zip(other.labels, reference.labels).filter { $0 != $1 }.count
                        #expect(differing == 0, "level \(level): \(differing) labels differ (best \(best), sums \(sums), weighted \(weighted))")
                        let same = other == reference  // (a Bool: a failure names the case, not 3,001 labels)
                        #expect(same, "level \(level), best \(best), sums \(sums), weighted \(weighted): labels, reduced distances, sums or weights differ")
                        if level == 1 {
                            // The AVX2 path streaming X's single-precision copy: the same bits and the
                            // same rows certified as when it rounds X tile by tile.
                            for norms in [false, true] {
                                let (copied, copiedCertified) = Self.run(x, rows: n, columns: c.columns, centres: centres, clusters: c.clusters, best: best,
                                                                         sums: sums, weights: weighted ? rowWeights : nil, single: true, norms: norms)
                                let sameFromCopy = copied == reference
                                #expect(sameFromCopy, "level 1 from the single-precision copy (norms given: \(norms)), best \(best), sums \(sums), weighted \(weighted): differs")
                                #expect(copiedCertified == certified)
                            }
                            // The AVX2 path: certified labels where float holds the distances (the rows near a
                            // centre, at least, are far from a tie), none where it cannot; and with k > 1
                            // some bisector rows sent back (their exact ties cannot be certified).
                            if c.floatRange {
                                #expect(certified >= n / 4, "\(certified) of \(n) rows certified")
                                if c.clusters > 1 { #expect(certified <= n - n / 4, "\(certified) of \(n) rows certified: the bisector rows must go back") }
                            } else if (c.scale >= 1e39 || c.scale <= 1e-42) && c.clusters > 1 {
                                // (One centre: the second-nearest is +inf, every finite label is 0 and may stand.)
                                #expect(certified == 0, "\(certified) rows certified where float cannot hold the values")
                            }
                        }
                    }
                }
            }
            #if arch(x86_64)
            #expect(available >= 1, "this machine's CPU has AVX2 + FMA: the vector paths were compared")
            #endif
        }
    }
}
