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
        try bidiagonalSVD(n: n, d: &b.d, e: &b.e, u: nil)
        return b.d
    }

    /// The singular values (descending) and left singular vectors (n × n, column-major, one
    /// column per value) of the `n × n` matrix at `a` (destroyed): the bidiagonal reduction,
    /// `dbdsdc` for the bidiagonal's vectors, then its Q applied by `dormbr` to 64 columns at a
    /// time, a cancellation check before each. The one step between checks that grows with n
    /// is `dbdsdc` (divide and conquer on the bidiagonal).
    ///
    /// - Throws: `numericalFailure` when the bidiagonal SVD does not converge; `cancelled`.
    /// - Complexity: about 8n³/3 + 2n³ flops, plus `dbdsdc`'s.
    static func leftSingularVectors(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) -> (s: [Double], u: [Double]) {
        if n == 0 { return ([], []) }
        var b = try bidiagonalize(n: n, a: a, lda: lda)
        try CancellationToken.check()
        var u = [Double](repeating: 0, count: n * n)
        try bidiagonalSVD(n: n, d: &b.d, e: &b.e, u: &u)
        var vect = CChar(UInt8(ascii: "Q")), side = CChar(UInt8(ascii: "L")), trans = CChar(UInt8(ascii: "N"))
        var n32 = Int32(n), lda32 = Int32(lda), info: Int32 = 0
        let chunk = 64
        var c32 = Int32(min(chunk, n)), query = 0.0, lwork: Int32 = -1
        u.withUnsafeMutableBufferPointer { up in
            dormbr_(&vect, &side, &trans, &n32, &c32, &n32, a, &lda32, b.tauq, up.baseAddress!, &n32, &query, &lwork, &info, 1, 1, 1)
        }
        try check(info, "dormbr")
        lwork = Int32(max(1, Int(query)))
        var work = [Double](repeating: 0, count: Int(lwork))
        var start = 0
        while start < n {
            try CancellationToken.check()
            var cols = Int32(min(chunk, n - start))
            u.withUnsafeMutableBufferPointer { up in
                dormbr_(&vect, &side, &trans, &n32, &cols, &n32, a, &lda32, b.tauq, up.baseAddress! + start * n, &n32,
                        &work, &lwork, &info, 1, 1, 1)
            }
            try check(info, "dormbr")
            start += chunk
        }
        return (b.d, u)
    }

    /// The upper bidiagonal form `Qᵀ A P = B` of the `n × n` matrix at `a`: `dgebrd`'s loop
    /// (panels of 32 columns by `dlabrd` and two `dgemm` updates each, `dgebd2` for the last
    /// 128), a cancellation check before each panel. On return `a` holds the reflectors;
    /// `d`, `e` are B's diagonal and superdiagonal, `tauq` Q's reflector scalars.
    private static func bidiagonalize(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) -> (d: [Double], e: [Double], tauq: [Double]) {
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
        return (d, e, tauq)
    }

    /// `dbdsdc` on the upper bidiagonal (`d`, `e`): its singular values into `d` (descending),
    /// and, with `u`, its left singular vectors (n × n) into `u`.
    private static func bidiagonalSVD(n: Int, d: inout [Double], e: inout [Double], u: UnsafeMutablePointer<[Double]>?) throws(SciLearnError) {
        var uplo = CChar(UInt8(ascii: "U")), compq = CChar(UInt8(ascii: u == nil ? "N" : "I"))
        var n32 = Int32(n), one: Int32 = 1, info: Int32 = 0
        var q = 0.0, iq: Int32 = 0
        var iwork = [Int32](repeating: 0, count: 8 * n)
        if let u {
            var ldn = Int32(n)
            var vt = [Double](repeating: 0, count: n * n)
            var work = [Double](repeating: 0, count: 3 * n * n + 4 * n)
            u.pointee.withUnsafeMutableBufferPointer { up in
                dbdsdc_(&uplo, &compq, &n32, &d, &e, up.baseAddress!, &ldn, &vt, &ldn, &q, &iq, &work, &iwork, &info, 1, 1)
            }
        } else {
            var uu = 0.0, vt = 0.0
            var work = [Double](repeating: 0, count: 4 * n)
            dbdsdc_(&uplo, &compq, &n32, &d, &e, &uu, &one, &vt, &one, &q, &iq, &work, &iwork, &info, 1, 1)
        }
        if info > 0 {
            throw SciLearnError(.numericalFailure, field: nil, "the singular value decomposition did not converge (dbdsdc info=\(info))")
        }
        try check(info, "dbdsdc")
    }
}
