import CLapack

/// Two LAPACK drivers whose blocked loops the engine runs itself, calling the same building
/// blocks LAPACK's own drivers call, so that a cancellation check sits between blocks: each is
/// one call of O(p³) on a p × p factor, which at the cost limit (p ≈ 1,900) would otherwise run
/// for a second or more after a deadline.
extension LAPACK {
    /// Columns per block of ``trtriUpperBlocked(n:a:lda:)`` (`dtrtri`'s usual block size).
    static let trtriBlock = 64
    /// Panel width and unblocked tail of ``singularValues(n:a:lda:)`` (`dgebrd`'s usual `NB` and
    /// `NX`).
    static let brdPanel = 32
    static let brdTail = 128
    /// Reflectors per `dormqr` / `dormlq` call when the bidiagonal reduction's factors are
    /// applied: 64, twice those routines' own block of 32. With no more reflectors than their
    /// block they fall back to unblocked code (measured: the full SVD of 1,700 × 1,700 took 4.2 s
    /// at 32 a call, 1.75 s at 64, as `dgesdd`'s single call does); one call is then about 7e8
    /// flops at n = 1,700, some 70 ms.
    static let reflectorPanel = 64

    /// The inverse of the upper triangular `n × n` matrix at `a`, in place: `dtrtri`'s blocked
    /// algorithm (`dtrmm`, `dtrsm`, `dtrti2` per block of 64 columns), checking for cancellation
    /// before each block.
    ///
    /// - Throws: `numericalFailure` when a diagonal element is exactly zero; `cancelled`.
    /// - Complexity: n³/3 flops.
    static func trtriUpperBlocked(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) {
        precondition(n >= 0 && lda >= max(1, n), "dtrtri: bad dimensions")
        for i in 0..<n where a[i + i * lda] == 0 {
            throw SciLearnError(.numericalFailure, field: nil,
                                "the triangular factor is exactly singular (diagonal element \(i + 1) is zero)")
        }
        var uplo = CChar(UInt8(ascii: "U")), diag = CChar(UInt8(ascii: "N"))
        var lda32 = Int32(lda), info: Int32 = 0
        var j = 0
        while j < n {
            try CancellationToken.check()
            let jb = min(trtriBlock, n - j)
            if j > 0 {
                // Rows 0..<j of the block column: A[0..<j, j..<j+jb] = -inv(A11) · A12 · inv(A22),
                // inv(A11) being already in place.
                cblas_dtrmm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit,
                            Int32(j), Int32(jb), 1, a, Int32(lda), a + j * lda, Int32(lda))
                cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit,
                            Int32(j), Int32(jb), -1, a + j + j * lda, Int32(lda), a + j * lda, Int32(lda))
            }
            var jb32 = Int32(jb)
            dtrti2_(&uplo, &diag, &jb32, a + j + j * lda, &lda32, &info, 1, 1)
            try check(info, "dtrti2")
            j += jb
        }
    }

    /// The singular values (descending) of the `n × n` matrix at `a` (destroyed): `dgesdd`'s
    /// path for a square matrix without vectors, the bidiagonal reduction
    /// (``bidiagonalize(n:a:lda:)``) then `dbdsdc`.
    ///
    /// - Throws: `numericalFailure` when the bidiagonal SVD does not converge; `cancelled`.
    /// - Complexity: 8n³/3 flops.
    static func singularValues(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) -> [Double] {
        if n == 0 { return [] }
        var b = try bidiagonalize(n: n, a: a, lda: lda)
        try CancellationToken.check()
        _ = try bidiagonalSVD(n: n, d: &b.d, e: &b.e, vectors: false)
        return b.d
    }

    /// The singular values (descending) and left singular vectors (n × n, column-major, one
    /// column per value) of the `n × n` matrix at `a` (destroyed): the bidiagonal reduction,
    /// `dbdsdc` for the bidiagonal's vectors, then its Q applied a panel of reflectors at a
    /// time, a cancellation check before each. The one step between checks that grows with n
    /// is `dbdsdc` (divide and conquer on the bidiagonal).
    ///
    /// - Throws: `numericalFailure` when the bidiagonal SVD does not converge; `cancelled`.
    /// - Complexity: about 8n³/3 + 2n³ flops, plus `dbdsdc`'s.
    static func leftSingularVectors(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) -> (s: [Double], u: [Double]) {
        if n == 0 { return ([], []) }
        var b = try bidiagonalize(n: n, a: a, lda: lda)
        try CancellationToken.check()
        var (u, _) = try bidiagonalSVD(n: n, d: &b.d, e: &b.e, vectors: true)
        try applyBidiagonalFactor(UInt8(ascii: "Q"), n: n, a: a, lda: lda, tau: b.tauq, to: &u)
        return (b.d, u)
    }

    /// The upper bidiagonal form `Qᵀ A P = B` of the `n × n` matrix at `a`: `dgebrd`'s loop
    /// (panels of 32 columns by `dlabrd` and two `dgemm` updates each, `dgebd2` for the last
    /// 128), a cancellation check before each panel. On return `a` holds the reflectors;
    /// `d`, `e` are B's diagonal and superdiagonal, `tauq` and `taup` the reflector scalars of
    /// Q and P.
    private static func bidiagonalize(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) -> (d: [Double], e: [Double], tauq: [Double], taup: [Double]) {
        precondition(n >= 1 && lda >= n, "bidiagonal reduction: bad dimensions")
        var d = [Double](repeating: 0, count: n)
        var e = [Double](repeating: 0, count: max(1, n - 1))
        var tauq = [Double](repeating: 0, count: n)
        var taup = [Double](repeating: 0, count: n)
        let nb = brdPanel
        var x = [Double](repeating: 0, count: n * nb)
        var y = [Double](repeating: 0, count: n * nb)
        var lda32 = Int32(lda), info: Int32 = 0
        try d.withUnsafeMutableBufferPointer { (dp) throws(SciLearnError) in
            try e.withUnsafeMutableBufferPointer { (ep) throws(SciLearnError) in
                try tauq.withUnsafeMutableBufferPointer { (tq) throws(SciLearnError) in
                    try taup.withUnsafeMutableBufferPointer { (tp) throws(SciLearnError) in
                        try x.withUnsafeMutableBufferPointer { (xp) throws(SciLearnError) in
                            try y.withUnsafeMutableBufferPointer { (yp) throws(SciLearnError) in
                                let d = dp.baseAddress!, e = ep.baseAddress!, tq = tq.baseAddress!, tp = tp.baseAddress!
                                let x = xp.baseAddress!, y = yp.baseAddress!
                                var i = 0
                                if nb < n && brdTail < n {
                                    while i < n - brdTail {
                                        try CancellationToken.check()
                                        var m32 = Int32(n - i), n32 = Int32(n - i), nb32 = Int32(nb), ld32 = Int32(n)
                                        dlabrd_(&m32, &n32, &nb32, a + i + i * lda, &lda32, d + i, e + i, tq + i, tp + i, x, &ld32, y, &ld32)
                                        let rest = Int32(n - i - nb)
                                        let a22 = a + (i + nb) + (i + nb) * lda
                                        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, rest, rest, Int32(nb), -1,
                                                    a + (i + nb) + i * lda, Int32(lda), y + nb, Int32(n), 1, a22, Int32(lda))
                                        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, rest, rest, Int32(nb), -1,
                                                    x + nb, Int32(n), a + i + (i + nb) * lda, Int32(lda), 1, a22, Int32(lda))
                                        for j in i..<(i + nb) {
                                            a[j + j * lda] = d[j]
                                            a[j + (j + 1) * lda] = e[j]
                                        }
                                        i += nb
                                    }
                                }
                                try CancellationToken.check()
                                var m32 = Int32(n - i), n32 = Int32(n - i)
                                dgebd2_(&m32, &n32, a + i + i * lda, &lda32, d + i, e + i, tq + i, tp + i, x, &info)
                            }
                        }
                    }
                }
            }
        }
        try check(info, "dgebd2")
        return (d, e, tauq, taup)
    }

    /// `dbdsdc` on the upper bidiagonal (`d`, `e`): its singular values into `d` (descending),
    /// and, with `vectors`, its left and right singular vectors (n × n each, Vᵀ by rows).
    private static func bidiagonalSVD(n: Int, d: inout [Double], e: inout [Double], vectors: Bool) throws(SciLearnError) -> (u: [Double], vt: [Double]) {
        var uplo = CChar(UInt8(ascii: "U")), compq = CChar(UInt8(ascii: vectors ? "I" : "N"))
        var n32 = Int32(n), ld = Int32(vectors ? n : 1), info: Int32 = 0
        var q = 0.0, iq: Int32 = 0
        var iwork = [Int32](repeating: 0, count: 8 * n)
        var u = [Double](repeating: 0, count: vectors ? n * n : 1)
        var vt = [Double](repeating: 0, count: vectors ? n * n : 1)
        var work = [Double](repeating: 0, count: vectors ? 3 * n * n + 4 * n : 4 * n)
        dbdsdc_(&uplo, &compq, &n32, &d, &e, &u, &ld, &vt, &ld, &q, &iq, &work, &iwork, &info, 1, 1)
        if info > 0 {
            throw SciLearnError(.numericalFailure, field: nil, "the singular value decomposition did not converge (dbdsdc info=\(info))")
        }
        try check(info, "dbdsdc")
        return vectors ? (u, vt) : ([], [])
    }

    /// Applies the bidiagonal reduction's factors to the n × n `c`: `vect` "Q" forms `Q C`
    /// (Q = H(1)⋯H(n), the reflectors stored below the diagonal of `a`, as `dgeqrf` stores
    /// them: `dormqr`), "P" forms `C Pᵀ` (P = G(1)⋯G(n−1), stored right of the superdiagonal,
    /// as `dgelqf` stores them one column on: `dormlq`). Panel by panel of 64 reflectors, last
    /// panel first, each panel's block reflector applied to the whole of C (what `dormbr` does
    /// in one call), with a cancellation check before each.
    private static func applyBidiagonalFactor(_ vect: UInt8, n: Int, a: UnsafePointer<Double>, lda: Int,
                                              tau: [Double], to c: inout [Double]) throws(SciLearnError) {
        let q = vect == UInt8(ascii: "Q")
        // P's reflectors form an (n−1)-reflector LQ problem on the columns 1..<n.
        let k = q ? n : n - 1
        if k <= 0 { return }
        let panel = reflectorPanel
        var side = CChar(UInt8(ascii: q ? "L" : "R")), trans = CChar(UInt8(ascii: "N"))
        var lda32 = Int32(lda), ldc = Int32(n), info: Int32 = 0
        // Room for the blocked path at any block size up to 64, and its T factor (LAPACK's
        // NW·NB + (NBMAX+1)·NBMAX): a smaller workspace silently falls back to the unblocked code.
        var work = [Double](repeating: 0, count: n * 64 + 65 * 64)
        var lwork = Int32(work.count)
        var start = ((k - 1) / panel) * panel
        while start >= 0 {
            try CancellationToken.check()
            let count = min(panel, k - start)
            var k32 = Int32(count)
            try tau.withUnsafeBufferPointer { (tp) throws(SciLearnError) in
                try c.withUnsafeMutableBufferPointer { (cp) throws(SciLearnError) in
                    if q {
                        // H(start)⋯H(start+count−1) acts on rows start..<n of C.
                        var m32 = Int32(n - start), n32 = Int32(n)
                        dormqr_(&side, &trans, &m32, &n32, &k32, a + start + start * lda, &lda32, tp.baseAddress! + start,
                                cp.baseAddress! + start, &ldc, &work, &lwork, &info, 1, 1)
                        try check(info, "dormqr")
                    } else {
                        // G(start)⋯ act on columns start+1..<n of C.
                        var m32 = Int32(n), n32 = Int32(k - start)
                        dormlq_(&side, &trans, &m32, &n32, &k32, a + start + (start + 1) * lda, &lda32, tp.baseAddress! + start,
                                cp.baseAddress! + (start + 1) * n, &ldc, &work, &lwork, &info, 1, 1)
                        try check(info, "dormlq")
                    }
                }
            }
            start -= panel
        }
    }

    /// The full SVD `A = U Σ Vᵀ` of the `n × n` matrix at `a` (destroyed): the bidiagonal
    /// reduction, `dbdsdc` for the bidiagonal's vectors, then Q and Pᵀ applied a panel of 64
    /// reflectors at a time, a cancellation check before each panel. What `dgesdd` with vectors
    /// computes, in pieces; the one step between checks that grows with n is `dbdsdc`.
    ///
    /// - Throws: `numericalFailure` when the bidiagonal SVD does not converge; `cancelled`.
    static func svd(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) -> (s: [Double], u: [Double], vt: [Double]) {
        if n == 0 { return ([], [], []) }
        var b = try bidiagonalize(n: n, a: a, lda: lda)
        try CancellationToken.check()
        var (u, vt) = try bidiagonalSVD(n: n, d: &b.d, e: &b.e, vectors: true)
        try applyBidiagonalFactor(UInt8(ascii: "Q"), n: n, a: a, lda: lda, tau: b.tauq, to: &u)
        try applyBidiagonalFactor(UInt8(ascii: "P"), n: n, a: a, lda: lda, tau: b.taup, to: &vt)
        return (b.d, u, vt)
    }
}
