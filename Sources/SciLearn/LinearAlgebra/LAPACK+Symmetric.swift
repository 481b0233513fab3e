import CLapack

extension LAPACK {
    /// `dpotrf` + `dpocon`: the upper Cholesky factor of the symmetric positive definite `n × n`
    /// matrix at `a` (in place, upper triangle read and written) and the reciprocal of its
    /// 1-norm condition number estimate. Returns nil when the matrix is not numerically positive
    /// definite (a pivot was not positive).
    ///
    /// - Complexity: n³/3 flops for the factor, O(n²) for the estimate.
    static func choleskyUpper(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) -> Double? {
        precondition(n >= 0 && lda >= max(1, n), "dpotrf: bad dimensions")
        if n == 0 { return 1 }
        // The 1-norm of the symmetric matrix, from its upper triangle, before it is overwritten.
        var anorm = 0.0
        for j in 0..<n {
            var s = 0.0
            for i in 0..<n { s += abs(i <= j ? a[i + j * lda] : a[j + i * lda]) }
            anorm = max(anorm, s)
        }
        var uplo = CChar(UInt8(ascii: "U")), n32 = Int32(n), lda32 = Int32(lda), info: Int32 = 0
        dpotrf_(&uplo, &n32, a, &lda32, &info, 1)
        if info > 0 { return nil }
        try check(info, "dpotrf")
        var rcond = 0.0
        var work = [Double](repeating: 0, count: 3 * n)
        var iwork = [Int32](repeating: 0, count: n)
        dpocon_(&uplo, &n32, a, &lda32, &anorm, &rcond, &work, &iwork, &info, 1)
        try check(info, "dpocon")
        return rcond
    }

    /// `dpotrs`: solves `A X = B` for `nrhs` right-hand sides at `b` (n × nrhs, in place) from the
    /// upper Cholesky factor of ``choleskyUpper(n:a:lda:)``.
    ///
    /// - Complexity: 2·n²·nrhs flops.
    static func choleskySolve(n: Int, nrhs: Int, factor: UnsafePointer<Double>, lda: Int,
                              b: UnsafeMutablePointer<Double>, ldb: Int) throws(SciLearnError) {
        precondition(n >= 0 && nrhs >= 0 && lda >= max(1, n) && ldb >= max(1, n), "dpotrs: bad dimensions")
        if n == 0 || nrhs == 0 { return }
        var uplo = CChar(UInt8(ascii: "U")), n32 = Int32(n), k32 = Int32(nrhs), lda32 = Int32(lda), ldb32 = Int32(ldb), info: Int32 = 0
        dpotrs_(&uplo, &n32, &k32, factor, &lda32, b, &ldb32, &info, 1)
        try check(info, "dpotrs")
    }

    /// `dsyevd`: eigenvalues (ascending) and orthonormal eigenvectors (overwriting `a`, one per
    /// column) of the symmetric `n × n` matrix at `a` (upper triangle read).
    ///
    /// - Throws: `numericalFailure` when the iteration does not converge.
    /// - Complexity: about 9n³ flops.
    static func symmetricEigen(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) -> [Double] {
        precondition(n >= 0 && lda >= max(1, n), "dsyevd: bad dimensions")
        if n == 0 { return [] }
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "U"))
        var n32 = Int32(n), lda32 = Int32(lda), info: Int32 = 0
        var w = [Double](repeating: 0, count: n)
        var query = 0.0, iquery: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        dsyevd_(&jobz, &uplo, &n32, a, &lda32, &w, &query, &lwork, &iquery, &liwork, &info, 1, 1)
        try check(info, "dsyevd")
        lwork = Int32(max(1, Int(query)))
        liwork = max(1, iquery)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &n32, a, &lda32, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        if info > 0 {
            throw SciLearnError(.numericalFailure, field: nil, "the symmetric eigendecomposition did not converge (dsyevd returned \(info))")
        }
        try check(info, "dsyevd")
        return w
    }
}
