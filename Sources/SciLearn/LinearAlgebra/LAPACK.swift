import CLapack

/// Thin, safe wrappers over exactly the LAPACK routines the engine calls: one function per
/// routine, each turning LAPACK's `info` into a typed ``SciLearnError``.
///
/// Every wrapper works in place on column-major buffers, as LAPACK does, and performs the
/// workspace query itself. Arguments are checked by `precondition` (a wrong call is a
/// programming error); numerical failure is thrown.
enum LAPACK {
    /// Reusable buffers for ``tpqrt(m:n:a:lda:b:ldb:workspace:)``.
    struct TPQRTWorkspace {
        let blockSize: Int
        var t: [Double]
        var work: [Double]
        init(columns n: Int) {
            blockSize = max(1, min(n, 32))
            t = [Double](repeating: 0, count: blockSize * max(1, n))
            work = [Double](repeating: 0, count: blockSize * max(1, n))
        }
    }

    /// `dtpqrt` with `L = 0`: the QR factorisation of `[A; B]` where `A` (n × n at `a`) is upper
    /// triangular and `B` (m × n at `b`) is general. On return `A` holds the new R; `B` is
    /// overwritten by the reflectors. The building block of the tall-skinny QR.
    ///
    /// - Complexity: 2mn² flops.
    static func tpqrt(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                      b: UnsafeMutablePointer<Double>, ldb: Int,
                      workspace: inout TPQRTWorkspace) throws(SciLearnError) {
        precondition(m >= 0 && n >= 0 && lda >= max(1, n) && ldb >= max(1, m), "dtpqrt: bad dimensions")
        if m == 0 || n == 0 { return }
        var m32 = Int32(m), n32 = Int32(n), l32: Int32 = 0, nb32 = Int32(workspace.blockSize)
        var lda32 = Int32(lda), ldb32 = Int32(ldb), ldt32 = Int32(workspace.blockSize), info: Int32 = 0
        workspace.t.withUnsafeMutableBufferPointer { t in
            workspace.work.withUnsafeMutableBufferPointer { w in
                dtpqrt_(&m32, &n32, &l32, &nb32, a, &lda32, b, &ldb32, t.baseAddress, &ldt32, w.baseAddress, &info)
            }
        }
        try check(info, "dtpqrt")
    }

    /// `dtrtri`: inverse of the upper triangular `n × n` matrix at `a`, in place: the LAPACK
    /// driver, kept as the reference ``trtriUpperBlocked(n:a:lda:)`` (what the engine calls) is
    /// tested against.
    ///
    /// - Throws: `numericalFailure` when a diagonal element is exactly zero (singular).
    /// - Complexity: n³/3 flops.
    static func trtriUpper(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) {
        precondition(n >= 0 && lda >= max(1, n), "dtrtri: bad dimensions")
        if n == 0 { return }
        var n32 = Int32(n), lda32 = Int32(lda), info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "U")), diag = CChar(UInt8(ascii: "N"))
        dtrtri_(&uplo, &diag, &n32, a, &lda32, &info, 1, 1)
        if info > 0 {
            throw SciLearnError(.numericalFailure, field: nil,
                                "the triangular factor is exactly singular (diagonal element \(info) is zero)")
        }
        try check(info, "dtrtri")
    }

    /// `dgesdd`: thin SVD `A = U Σ Vᵀ` of the `m × n` matrix at `a` (destroyed): the LAPACK
    /// driver, kept as the reference the engine's own pieces (``singularValues(n:a:lda:)``,
    /// ``svd(n:a:lda:)``, the wide solver) are tested against. Returns the
    /// singular values (descending) and, when `vectors` is true, U (m × k) and Vᵀ (k × n),
    /// k = min(m, n), column-major.
    ///
    /// - Throws: `numericalFailure` when the divide-and-conquer iteration fails to converge.
    /// - Complexity: O(mn·min(m, n)).
    static func gesdd(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, vectors: Bool)
        throws(SciLearnError) -> (s: [Double], u: [Double], vt: [Double]) {
        precondition(m >= 0 && n >= 0 && lda >= max(1, m), "dgesdd: bad dimensions")
        let k = min(m, n)
        if k == 0 { return ([], [], []) }
        var jobz = CChar(UInt8(ascii: vectors ? "S" : "N"))
        var m32 = Int32(m), n32 = Int32(n), lda32 = Int32(lda), info: Int32 = 0
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: vectors ? m * k : 1)
        var vt = [Double](repeating: 0, count: vectors ? k * n : 1)
        var ldu = Int32(vectors ? m : 1), ldvt = Int32(vectors ? k : 1)
        var iwork = [Int32](repeating: 0, count: 8 * k)
        var query = 0.0
        var lwork: Int32 = -1
        dgesdd_(&jobz, &m32, &n32, a, &lda32, &s, &u, &ldu, &vt, &ldvt, &query, &lwork, &iwork, &info, 1)
        try check(info, "dgesdd")
        lwork = Int32(max(1, Int(query)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgesdd_(&jobz, &m32, &n32, a, &lda32, &s, &u, &ldu, &vt, &ldvt, &work, &lwork, &iwork, &info, 1)
        if info > 0 {
            throw SciLearnError(.numericalFailure, field: nil, "the singular value decomposition did not converge (dgesdd info=\(info))")
        }
        try check(info, "dgesdd")
        return (s, vectors ? u : [], vectors ? vt : [])
    }

    /// A negative `info` is an illegal argument: a bug in the caller, reported rather than hidden.
    static func check(_ info: Int32, _ routine: String) throws(SciLearnError) {
        if info < 0 {
            throw SciLearnError(.numericalFailure, field: nil, "\(routine) rejected argument \(-info) (internal error)")
        }
    }
}
