import CKernels
import CLapack
import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// The engine's C kernels under the least-squares and Gram passes (`GramKernels.c`): the
/// register-tiled Gram product against `dsyrk` within its rounding bound, the column scan's
/// sums, maxima and finiteness, and the residual pass; each identical on every code path
/// (scalar and AVX2) and with one thread or two.
@Suite(.serialized, .ownThread(.computing)) struct GramKernelTests {
    typealias Rows = CrossProductTests.Rows

    /// Values of mixed sign and magnitude, from a formula.
    static func design(n: Int, p: Int) -> Matrix {
        Matrix(rows: n, columns: p, columnMajor: (0..<(n * p)).map { sin(Double($0) * 0.37) * (1 + Double($0 % 7)) })
    }

    /// `dsyrk` of X and of |X| (the second bounds the rounding of the first).
    static func reference(_ x: Matrix) -> (g: [Double], bound: [Double]) {
        let n = x.rows, p = x.columns
        var g = [Double](repeating: 0, count: p * p), bound = g
        let absolute = x.storage.map { abs($0) }
        x.withUnsafeBufferPointer { xs in
            g.withUnsafeMutableBufferPointer { gs in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(n), 1, xs.baseAddress!, Int32(n), 0, gs.baseAddress!, Int32(p))
            }
        }
        absolute.withUnsafeBufferPointer { xs in
            bound.withUnsafeMutableBufferPointer { bs in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(n), 1, xs.baseAddress!, Int32(n), 0, bs.baseAddress!, Int32(p))
            }
        }
        return (g, bound)
    }

    /// Widths on both sides of the 4- and 8-column tiles and up to the kernel's limit; rows not a
    /// multiple of the 128-row block.
    @Test(arguments: [1, 3, 4, 5, 8, 9, 13, 51, 127, 128])
    func gramKernelMatchesDsyrk(width p: Int) throws {
        try KernelPathLock.holding {
            let n = 20_000 + 77
            let x = Self.design(n: n, p: p)
            let (reference, bound) = Self.reference(x)
            let available = scilearn_set_kernel_level(2)
            defer { _ = scilearn_set_kernel_level(2) }
            var byLevel: [[Double]] = []
            for level in 0...available {
                _ = scilearn_set_kernel_level(Int32(level))
                let g = try Rows(x: x).crossProduct()
                let one = try Parallelism.withThreadLimit(1) { try Rows(x: x).crossProduct() }
                #expect(one.map(\.bitPattern) == g.map(\.bitPattern), "level \(level): one thread and two")
                byLevel.append(g)
            }
            for g in byLevel { #expect(g.map(\.bitPattern) == byLevel[0].map(\.bitPattern), "every code path gives the same bits") }
            let g = byLevel[0]
            // Both products round each entry within n·ε·(|X|ᵀ|X|) of the exact one.
            let tolerance = 2 * Double(n) * Double.ulpOfOne
            for j in 0..<p {
                for i in 0...j {
                    #expect(abs(g[i + j * p] - reference[i + j * p]) <= tolerance * bound[i + j * p], "[\(i), \(j)]")
                    #expect(g[i + j * p] == g[j + i * p])
                }
            }
            #expect(available >= 1, "this machine's CPU has AVX2 + FMA: the vector path was compared")
        }
    }

    /// Sums, maxima and finiteness of the column scan: the same bits on every path, sums as
    /// accurate as double-double summation element by element, and a NaN or infinity found in a full block, a
    /// partial block or the last element.
    @Test func columnScanIsExactEnoughAndFindsNonFinite() throws {
        KernelPathLock.holding {
            let available = scilearn_set_kernel_level(2)
            defer { _ = scilearn_set_kernel_level(2) }
            for count in [1, 7, 64, 65, 4096, 4096 + 63, 10_000] {
                let v = (0..<count).map { 1e6 + sin(Double($0)) * Double($0 % 13) }
                var results: [(DoubleDouble, Double, Bool)] = []
                for level in 0...available {
                    _ = scilearn_set_kernel_level(Int32(level))
                    var total = DoubleDouble(0)
                    let (m, finite) = v.withUnsafeBufferPointer { AccurateSum.scan($0.baseAddress!, count: count, into: &total) }
                    results.append((total, m, finite))
                }
                for r in results {
                    #expect(r.0.hi.bitPattern == results[0].0.hi.bitPattern && r.0.lo.bitPattern == results[0].0.lo.bitPattern, "n = \(count)")
                    #expect(r.1 == v.map { abs($0) }.max()! && r.2)
                }
                // The exact sum, by a double-double loop over single elements.
                let exact = v.reduce(DoubleDouble(0)) { $0 + $1 }
                // Compensated lanes: as accurate as the double-double loop, to ε² of Σ|v| per element.
                let bound = Double(count) * 4 * Double.ulpOfOne * Double.ulpOfOne * v.reduce(0) { $0 + abs($1) }
                #expect(abs((results[0].0 + (-exact)).value) <= bound, "n = \(count)")
                for position in Set([0, count / 2, count - 1]) {
                    for bad in [Double.nan, .infinity, -.infinity] {
                        var w = v
                        w[position] = bad
                        for level in 0...available {
                            _ = scilearn_set_kernel_level(Int32(level))
                            var total = DoubleDouble(0)
                            let finite = w.withUnsafeBufferPointer { AccurateSum.scan($0.baseAddress!, count: count, into: &total) }.finite
                            #expect(!finite, "\(bad) at \(position) of \(count), level \(level)")
                        }
                    }
                }
            }
        }
    }

    /// The residual pass's kernel: r = a[p] − a[0..<p]·b, g += Σ r·a, ‖r‖², identical on every
    /// path and within rounding of a plain loop.
    @Test(arguments: [1, 4, 6, 50])
    func residualKernel(features p: Int) {
        KernelPathLock.holding {
            let m = 300, stride = p + 1
            let a = (0..<(m * stride)).map { cos(Double($0) * 0.11) * 3 }
            let b = (0..<p).map { Double($0 % 5) - 1.5 }
            let available = scilearn_set_kernel_level(2)
            defer { _ = scilearn_set_kernel_level(2) }
            var outputs: [([Double], Double)] = []
            for level in 0...available {
                _ = scilearn_set_kernel_level(Int32(level))
                var g = [Double](repeating: 0, count: p)
                let rss = scilearn_residual_gradient(a, m, stride, p, b, &g)
                outputs.append((g, rss))
            }
            for o in outputs {
                #expect(o.0.map(\.bitPattern) == outputs[0].0.map(\.bitPattern) && o.1.bitPattern == outputs[0].1.bitPattern)
            }
            var g = [Double](repeating: 0, count: p), rss = 0.0
            for i in 0..<m {
                var d = 0.0
                for j in 0..<p { d += a[i * stride + j] * b[j] }
                let r = a[i * stride + p] - d
                rss += r * r
                for j in 0..<p { g[j] += r * a[i * stride + j] }
            }
            #expect(abs(outputs[0].1 - rss) <= 1e-12 * rss)
            for j in 0..<p { #expect(abs(outputs[0].0[j] - g[j]) <= 1e-10 * max(1, abs(g[j])), "g[\(j)]") }
        }
    }

    /// The wide Gram kernel (`scilearn_gram_upper`, ``WideGram``): on and above the diagonal the
    /// scalar and AVX2 paths give the same bits, added to what C held, within `dsyrk`'s rounding
    /// bound; nothing outside p × p is written (C's leading dimension has sentinel rows past p),
    /// X is read through a leading dimension larger than its rows and from a row offset. Widths
    /// on both sides of the 8-column slivers, the 6-column tiles and the 240-column block; rows
    /// a chunk (128) and a partial chunk, and fewer than a chunk.
    @Test(arguments: [(1, 5), (5, 300), (6, 128), (13, 129), (24, 257), (129, 40), (241, 200), (263, 300)])
    func wideGramKernel(width p: Int, rows m: Int) throws {
        KernelPathLock.holding {
            let lda = m + 9, offset = 3, ldc = p + 3
            let x = (0..<(lda * p)).map { sin(Double($0) * 0.37) * (1 + Double($0 % 7)) }
            let start = (0..<(ldc * p)).map { Double($0 % 11) * 0.25 - 1 }
            let available = scilearn_set_kernel_level(2)
            defer { _ = scilearn_set_kernel_level(2) }
            let startSums = (0..<(2 * p)).map { $0 % 2 == 0 ? Double($0) * 0.25 : 0 }
            var byLevel: [[Double]] = [], sumsByLevel: [[Double]] = []
            for level in 0...available {
                _ = scilearn_set_kernel_level(Int32(level))
                var c = start, sums = startSums
                var work = [Double](repeating: .nan, count: scilearn_gram_upper_work(p))
                Self.gramUpper(x, offset: offset, lda: lda, rows: m, columns: p, into: &c, ldc: ldc, work: &work, sums: &sums)
                sumsByLevel.append(sums)
                for j in 0..<p { for i in p..<ldc {
                    #expect(c[i + j * ldc].bitPattern == start[i + j * ldc].bitPattern, "level \(level): [\(i), \(j)] past p written")
                } }
                byLevel.append(c)
            }
            #expect(available >= 1, "this machine's CPU has AVX2 + FMA: the vector path was compared")
            for sums in sumsByLevel { #expect(sums.map(\.bitPattern) == sumsByLevel[0].map(\.bitPattern), "column sums: the same bits on every path") }
            // The sums as accurate as double-double summation element by element.
            for j in 0..<p {
                var exact = DoubleDouble(startSums[2 * j])
                var magnitude = 0.0
                for i in 0..<m { exact = exact + x[offset + i + j * lda]; magnitude += abs(x[offset + i + j * lda]) }
                let got = sumsByLevel[0][2 * j] + sumsByLevel[0][2 * j + 1]
                #expect(abs(got - exact.value) <= 2 * Double.ulpOfOne * abs(exact.value) + 1e-28 * magnitude, "sum of column \(j): \(got) vs \(exact.value)")
            }
            for (level, c) in byLevel.enumerated() {
                for j in 0..<p { for i in 0...j where c[i + j * ldc].bitPattern != byLevel[0][i + j * ldc].bitPattern {
                    Issue.record("level \(level): [\(i), \(j)] \(c[i + j * ldc]) differs from the scalar path's \(byLevel[0][i + j * ldc])")
                } }
            }
            // dsyrk of the same block from the same C, and of |X| from |C| (the rounding bound).
            var reference = start, bound = start.map { abs($0) }
            let absolute = x.map { abs($0) }
            x.withUnsafeBufferPointer { xs in
                reference.withUnsafeMutableBufferPointer { rs in
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(m), 1, xs.baseAddress! + offset, Int32(lda), 1, rs.baseAddress!, Int32(ldc))
                }
            }
            absolute.withUnsafeBufferPointer { xs in
                bound.withUnsafeMutableBufferPointer { bs in
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(m), 1, xs.baseAddress! + offset, Int32(lda), 1, bs.baseAddress!, Int32(ldc))
                }
            }
            let tolerance = 2 * Double(m + 1) * Double.ulpOfOne
            let c = byLevel[byLevel.count - 1]
            for j in 0..<p { for i in 0...j {
                #expect(abs(c[i + j * ldc] - reference[i + j * ldc]) <= tolerance * bound[i + j * ldc], "[\(i), \(j)]")
            } }
        }
    }

    /// `scilearn_gram_upper` on rows [offset, offset + m) of `x` (leading dimension `lda`).
    static func gramUpper(_ x: [Double], offset: Int, lda: Int, rows m: Int, columns p: Int, into c: inout [Double], ldc: Int,
                          work: inout [Double], sums: inout [Double]) {
        x.withUnsafeBufferPointer { xs in
            c.withUnsafeMutableBufferPointer { cs in
                work.withUnsafeMutableBufferPointer { w in
                    sums.withUnsafeMutableBufferPointer { ss in
                        scilearn_gram_upper(xs.baseAddress! + offset, lda, m, p, cs.baseAddress!, ldc, w.baseAddress!, ss.baseAddress!)
                    }
                }
            }
        }
    }
}
