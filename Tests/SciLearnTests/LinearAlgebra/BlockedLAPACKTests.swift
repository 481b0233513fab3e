import Foundation
import Testing
@testable import SciLearn

/// The engine's own blocked loops of `dtrtri` and of `dgesdd`'s values-only path (run so that a
/// cancellation check sits between blocks) agree with the LAPACK drivers on sizes either side of
/// every block boundary, and stop when cancelled.
@Suite struct BlockedLAPACKTests {
    /// A well-conditioned upper triangle (unit-ish diagonal, small off-diagonal) and a general
    /// square matrix, from a formula.
    static func triangle(_ n: Int) -> [Double] {
        var a = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0...j { a[i + j * n] = i == j ? 2 + Double((j * 7) % 5) : Double((i * 31 + j * 17) % 19) / 40 - 0.2 }
        }
        return a
    }

    static func square(_ n: Int) -> [Double] {
        (0..<(n * n)).map { Double((($0 &* 2_654_435_761) >> 7) % 2001) / 1000 - 1 }
    }

    @Test(arguments: [1, 2, 31, 63, 64, 65, 128, 129, 200, 300])
    func blockedInverseMatchesDtrtri(_ n: Int) throws {
        var blocked = Self.triangle(n), driver = blocked
        try blocked.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in try LAPACK.trtriUpperBlocked(n: n, a: p.baseAddress!, lda: n) }
        try driver.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in try LAPACK.trtriUpper(n: n, a: p.baseAddress!, lda: n) }
        let scale = driver.map(abs).max()!
        for j in 0..<n {
            for i in 0...j {
                #expect(abs(blocked[i + j * n] - driver[i + j * n]) <= 1e-13 * scale, "[\(i), \(j)] of \(n)")
            }
        }
    }

    @Test func aZeroDiagonalIsNamed() {
        var a = Self.triangle(70)
        a[66 + 66 * 70] = 0
        #expect(throws: SciLearnError.self) {
            try a.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in try LAPACK.trtriUpperBlocked(n: 70, a: p.baseAddress!, lda: 70) }
        }
    }

    @Test(arguments: [1, 2, 31, 32, 33, 127, 128, 129, 160, 161, 300])
    func singularValuesMatchDgesdd(_ n: Int) throws {
        var blocked = Self.square(n), driver = blocked
        let s = try blocked.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in try LAPACK.singularValues(n: n, a: p.baseAddress!, lda: n) }
        let reference = try driver.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in
            try LAPACK.gesdd(m: n, n: n, a: p.baseAddress!, lda: n, vectors: false).s
        }
        #expect(s.count == n)
        for k in 0..<n {
            #expect(abs(s[k] - reference[k]) <= 1e-13 * reference[0], "σ\(k) of \(n): \(s[k]) vs \(reference[k])")
        }
    }

    /// The full SVD in pieces: values as `dgesdd`'s, U Σ Vᵀ rebuilds A, U and V orthogonal.
    @Test(arguments: [1, 2, 33, 64, 65, 129, 161, 300])
    func svdRebuildsTheMatrix(_ n: Int) throws {
        let original = Self.square(n)
        var a = original, driver = original
        let f = try a.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in try LAPACK.svd(n: n, a: p.baseAddress!, lda: n) }
        let reference = try driver.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in
            try LAPACK.gesdd(m: n, n: n, a: p.baseAddress!, lda: n, vectors: false).s
        }
        let smax = reference[0]
        for k in 0..<n { #expect(abs(f.s[k] - reference[k]) <= 1e-13 * smax, "σ\(k)") }
        var worstRebuild = 0.0, worstU = 0.0, worstV = 0.0
        for i in 0..<n {
            for j in 0..<n {
                var rebuilt = 0.0, uu = 0.0, vv = 0.0
                for k in 0..<n {
                    rebuilt += f.u[i + k * n] * f.s[k] * f.vt[k + j * n]
                    uu += f.u[k + i * n] * f.u[k + j * n]
                    vv += f.vt[i + k * n] * f.vt[j + k * n]
                }
                worstRebuild = max(worstRebuild, abs(rebuilt - original[i + j * n]))
                worstU = max(worstU, abs(uu - (i == j ? 1 : 0)))
                worstV = max(worstV, abs(vv - (i == j ? 1 : 0)))
            }
        }
        #expect(worstRebuild <= 1e-12 * smax, "‖UΣVᵀ − A‖max = \(worstRebuild)")
        #expect(worstU <= 1e-12 && worstV <= 1e-12, "orthogonality: U \(worstU), V \(worstV)")
    }

    @Test func bothStopWhenCancelled() {
        let token = CancellationToken()
        token.cancel()
        var a = Self.square(300), t = Self.triangle(300)
        let svd = Result { () throws(SciLearnError) in
            try token.run { () throws(SciLearnError) in
                _ = try a.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in try LAPACK.singularValues(n: 300, a: p.baseAddress!, lda: 300) }
            }
        }
        let inverse = Result { () throws(SciLearnError) in
            try token.run { () throws(SciLearnError) in
                try t.withUnsafeMutableBufferPointer { (p) throws(SciLearnError) in try LAPACK.trtriUpperBlocked(n: 300, a: p.baseAddress!, lda: 300) }
            }
        }
        for r in [svd, inverse] {
            if case .failure(let e) = r { #expect(e.kind == .cancelled) } else { Issue.record("not cancelled") }
        }
    }
}
