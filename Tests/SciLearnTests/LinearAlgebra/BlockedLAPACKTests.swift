import CLapack
import Foundation
import Testing
import SciLearnTestSupport
@testable import SciLearn

/// The engine's own blocked loops of `dtrtri` and of `dgesdd`'s values-only path (run so that a
/// cancellation check sits between blocks) agree with the LAPACK drivers on sizes either side of
/// every block boundary, and stop when cancelled.
@Suite(.ownThread(.computing)) struct BlockedLAPACKTests {
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
        // With BLAS: U·diag(σ)·Vᵀ, UᵀU and VᵀV (triple loops here would hold a test thread for
        // seconds in a debug build).
        var us = f.u
        for k in 0..<n { for i in 0..<n { us[i + k * n] *= f.s[k] } }
        var rebuilt = [Double](repeating: 0, count: n * n), uu = rebuilt, vv = rebuilt
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, us, Int32(n), f.vt, Int32(n), 0, &rebuilt, Int32(n))
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, f.u, Int32(n), f.u, Int32(n), 0, &uu, Int32(n))
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(n), 1, f.vt, Int32(n), f.vt, Int32(n), 0, &vv, Int32(n))
        var worstRebuild = 0.0, worstU = 0.0, worstV = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let identity: Double = i == j ? 1 : 0
                worstRebuild = max(worstRebuild, abs(rebuilt[i + j * n] - original[i + j * n]))
                worstU = max(worstU, abs(uu[i + j * n] - identity))
                worstV = max(worstV, abs(vv[i + j * n] - identity))
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
