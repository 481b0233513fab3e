import CLapack

/// The R factor of a tall, skinny, well-conditioned matrix from its Gram matrix: Cholesky QR
/// (``gramFactor(of:)``, `R₁ = chol(AᵀA)`) and its second pass (``reorthogonalised(_:first:)``,
/// `R = chol(QᵀQ)·R₁` for `Q = A R₁⁻¹` formed a block of rows at a time and never stored):
/// together CholeskyQR2 (Fukaya, Nakatsukasa, Yanagisawa and Yamamoto, 2014).
///
/// One Cholesky QR is the normal equations: its R carries errors of order κ(A)²·ε, which is
/// QR's accuracy only for a nearly orthogonal A. The second pass re-orthogonalises against the
/// data itself; for κ(A) well below ε^(-1/2) CholeskyQR2 is backward stable as Householder QR
/// is (residual ‖A − QR‖ and orthogonality both O(ε)). ``LeastSquares`` judges the condition
/// from the first factor and picks one pass, two, or the tall-skinny Householder QR, which has
/// no limit (`Docs/linear-models.md`).
///
/// Why: both passes are BLAS-3 (`dsyrk`, `dtrsm`) on row blocks in cache, n·w² and 2·n·w²
/// flops, where TSQR's 2·n·w² of Householder work runs `dtpqrt` panels that are BLAS-2.
/// Results are independent of the thread count (``BlockedSum`` sums in block order).
enum CholeskyQR {
    /// The upper Cholesky factor (w × w, column-major, positive diagonal, zeros below) of AᵀA,
    /// factored after scaling to a unit diagonal (the equilibration that makes Cholesky's
    /// backward error independent of the columns' units) and scaled back; nil when a column is
    /// zero or not finite or a pivot is not positive (A numerically rank deficient).
    ///
    /// - Complexity: n·w² flops, one pass over the data; w³/3 for the factor.
    static func gramFactor(of design: some TallRows) throws(SciLearnError) -> [Double]? {
        try factor(design.crossProduct(), w: design.width, conditionLimit: nil)
    }

    /// R = R₂·R₁ with R₂ = chol((A R₁⁻¹)ᵀ(A R₁⁻¹)): the second pass of CholeskyQR2 from the
    /// first factor; nil when A R₁⁻¹ is so far from orthogonal (condition above 2) that the
    /// first factor was not accurate enough for one correction.
    ///
    /// - Complexity: 2·n·w² flops, one pass over the data.
    static func reorthogonalised(_ design: some TallRows, first r1: [Double]) throws(SciLearnError) -> [Double]? {
        let w = design.width
        try CancellationToken.check()
        guard let r2 = try factor(design.crossProduct(rightDivisor: r1), w: w, conditionLimit: 2) else { return nil }
        var r = r1
        r2.withUnsafeBufferPointer { ap in
            r.withUnsafeMutableBufferPointer { bp in
                cblas_dtrmm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit,
                            Int32(w), Int32(w), 1, ap.baseAddress, Int32(w), bp.baseAddress, Int32(w))
            }
        }
        return r
    }

    /// The upper Cholesky factor of the Gram matrix `g` (w × w, both triangles) through its
    /// equilibrated form; nil as ``gramFactor(of:)`` says, or when `dpocon`'s estimate of the
    /// equilibrated A's condition (the square root of the Gram's) exceeds `conditionLimit`.
    private static func factor(_ g: [Double], w: Int, conditionLimit: Double?) throws(SciLearnError) -> [Double]? {
        if w == 0 { return [] }
        var a = g
        var d = [Double](repeating: 0, count: w)
        for j in 0..<w {
            let v = g[j + j * w]
            guard v > 0, v.isFinite else { return nil }
            d[j] = v.squareRoot()
        }
        for j in 0..<w { for i in 0...j { a[i + j * w] = g[i + j * w] / (d[i] * d[j]) } }
        let rcond = try a.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
            try LAPACK.choleskyUpper(n: w, a: ap.baseAddress!, lda: w)
        }
        guard let rcond, rcond > 0 else { return nil }
        if let limit = conditionLimit, rcond * limit * limit < 1 { return nil }
        for j in 0..<w {
            for i in 0...j { a[i + j * w] *= d[j] }
            for i in (j + 1)..<w { a[i + j * w] = 0 }
        }
        return a
    }
}
