import CLapack

extension LAPACK {
    /// `dsyevr`: the `count` largest eigenvalues (descending) of the symmetric `n × n` matrix at
    /// `a` (upper triangle read, destroyed) and their orthonormal eigenvectors (n × count,
    /// column-major, in the same order). `count == n` asks for all of them (`RANGE = 'A'`).
    ///
    /// - Throws: `numericalFailure` when the MRRR iteration fails.
    /// - Complexity: 4n³/3 flops for the tridiagonal reduction, 2n²·count for the vectors.
    static func symmetricTopEigen(n: Int, a: UnsafeMutablePointer<Double>, lda: Int, count: Int) throws(SciLearnError) -> (values: [Double], vectors: [Double]) {
        precondition(n >= 1 && lda >= n && count >= 1 && count <= n, "dsyevr: bad dimensions")
        var jobz = CChar(UInt8(ascii: "V")), range = CChar(UInt8(ascii: count == n ? "A" : "I")), uplo = CChar(UInt8(ascii: "U"))
        var n32 = Int32(n), lda32 = Int32(lda), il = Int32(n - count + 1), iu = Int32(n)
        var vl = 0.0, vu = 0.0, abstol = 0.0, m: Int32 = 0, info: Int32 = 0
        var w = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n * count)
        var ldz = Int32(n)
        var isuppz = [Int32](repeating: 0, count: 2 * count)
        var query = 0.0, iquery: Int32 = 0, lwork: Int32 = -1, liwork: Int32 = -1
        dsyevr_(&jobz, &range, &uplo, &n32, a, &lda32, &vl, &vu, &il, &iu, &abstol, &m, &w, &z, &ldz, &isuppz,
                &query, &lwork, &iquery, &liwork, &info, 1, 1, 1)
        try check(info, "dsyevr")
        lwork = Int32(max(1, Int(query)))
        liwork = max(1, iquery)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevr_(&jobz, &range, &uplo, &n32, a, &lda32, &vl, &vu, &il, &iu, &abstol, &m, &w, &z, &ldz, &isuppz,
                &work, &lwork, &iwork, &liwork, &info, 1, 1, 1)
        if info > 0 || Int(m) != count {
            throw SciLearnError(.numericalFailure, field: nil, "the symmetric eigendecomposition did not converge (dsyevr info=\(info), \(m) of \(count) eigenpairs)")
        }
        try check(info, "dsyevr")
        // dsyevr returns ascending order; reverse values and vectors.
        var values = [Double](repeating: 0, count: count)
        var vectors = [Double](repeating: 0, count: n * count)
        for c in 0..<count {
            let src = count - 1 - c
            values[c] = w[src]
            for i in 0..<n { vectors[i + c * n] = z[i + src * n] }
        }
        return (values, vectors)
    }

    /// `dgetrf` then the row interchanges undone on L: the `m × n` matrix at `a` (m ≥ n)
    /// replaced by `P·L` of its LU factorisation `A = P·L·U` (unit lower trapezoidal L), as
    /// `scipy.linalg.lu(a, permute_l=True)` returns. A basis of A's column space whose columns
    /// are scaled to O(1): the randomized range finder's normaliser.
    ///
    /// - Complexity: m·n² flops.
    static func permutedLowerFactor(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) {
        precondition(m >= n && n >= 1 && lda >= m, "dgetrf: bad dimensions")
        var m32 = Int32(m), n32 = Int32(n), lda32 = Int32(lda), info: Int32 = 0
        var ipiv = [Int32](repeating: 0, count: n)
        dgetrf_(&m32, &n32, a, &lda32, &ipiv, &info)
        try check(info, "dgetrf")
        // info > 0: an exactly zero pivot; L is still well defined (that column of U is zero).
        for j in 0..<n {
            let col = a + j * lda
            for i in 0..<j { col[i] = 0 }
            col[j] = 1
        }
        var k1: Int32 = 1, k2 = Int32(n), incx: Int32 = -1
        dlaswp_(&n32, a, &lda32, &k1, &k2, &ipiv, &incx)
    }

    /// `dgeqrf` + `dorgqr`: the `m × n` matrix at `a` (m ≥ n) replaced by the orthonormal
    /// factor Q of its thin Householder QR.
    ///
    /// - Complexity: 4m·n² flops.
    static func orthonormalFactor(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int) throws(SciLearnError) {
        precondition(m >= n && n >= 1 && lda >= m, "dgeqrf: bad dimensions")
        var m32 = Int32(m), n32 = Int32(n), lda32 = Int32(lda), info: Int32 = 0
        var tau = [Double](repeating: 0, count: n)
        var query = 0.0, lwork: Int32 = -1
        dgeqrf_(&m32, &n32, a, &lda32, &tau, &query, &lwork, &info)
        try check(info, "dgeqrf")
        var query2 = 0.0
        dorgqr_(&m32, &n32, &n32, a, &lda32, &tau, &query2, &lwork, &info)
        try check(info, "dorgqr")
        lwork = Int32(max(1, Int(max(query, query2))))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgeqrf_(&m32, &n32, a, &lda32, &tau, &work, &lwork, &info)
        try check(info, "dgeqrf")
        dorgqr_(&m32, &n32, &n32, a, &lda32, &tau, &work, &lwork, &info)
        try check(info, "dorgqr")
    }
}
