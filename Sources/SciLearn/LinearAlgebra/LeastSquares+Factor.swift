import CKernels

/// How least squares picks its triangular factor by the design's conditioning (the Gram
/// matrix's Cholesky factor, CholeskyQR2, or the tall-skinny Householder QR), and the residual
/// pass that refines the first of them. `Docs/numerics.md`, step 2.
extension LeastSquares {
    /// The largest equilibrated condition number of the design at which its Gram matrix's
    /// Cholesky factor is used as R: κ² ≤ 16 costs at most four bits of R (and of the standard
    /// errors from it) against Householder QR's κ·ε; the coefficients and SSR are then refined
    /// on the residual (``residualGradient(_:b:)``).
    static let normalEquationsConditionLimit = 4.0

    /// The largest equilibrated condition number of the augmented matrix `[A y]` at which
    /// CholeskyQR2 runs: κ²·ε ≈ 1e-8 keeps A R₁⁻¹ within 1e-8 of orthogonal, far inside
    /// CholeskyQR2's proven range; above it the tall-skinny Householder QR runs.
    static let choleskyQR2ConditionLimit = 1e4

    /// The least n·w² at which the Gram paths are tried: below it the Householder QR takes under
    /// a millisecond, and small problems (NIST StRD's among them) keep its factor.
    static let gramMinimumWork = 1 << 20

    /// How ``factorAugmented(_:p:)`` obtained the triangular factor.
    enum FactorMethod: Equatable {
        /// The Gram matrix's Cholesky factor alone (the normal equations, refined on the residual).
        case gram
        /// CholeskyQR2.
        case choleskyQR2
        /// The tall-skinny Householder QR.
        case householder
    }

    /// The triangular factor of the augmented design `[A y]` (w × w, column-major) by the
    /// cheapest method accurate for its conditioning (from ``gramMinimumWork`` on): one Gram pass when the equilibrated
    /// design's condition is at most ``normalEquationsConditionLimit`` (the caller then refines
    /// on the residual), CholeskyQR2 when `[A y]`'s is at most ``choleskyQR2ConditionLimit``,
    /// else ``TallSkinnyQR``.
    static func factorAugmented(_ design: AugmentedDesign, p: Int) throws(SciLearnError) -> (r: [Double], method: FactorMethod) {
        let w = p + 1
        if design.rows * w * w >= gramMinimumWork, let r1 = try CholeskyQR.gramFactor(of: design) {
            var rp = [Double](repeating: 0, count: p * p)
            for j in 0..<p { for i in 0...j { rp[i + j * p] = r1[i + j * w] } }
            if p > 0, let k = try equilibratedCondition(rp, p: p), k <= normalEquationsConditionLimit {
                return (r1, .gram)
            }
            if let k = try equilibratedCondition(r1, p: w), k <= choleskyQR2ConditionLimit,
               let r = try CholeskyQR.reorthogonalised(design, first: r1) {
                return (r, .choleskyQR2)
            }
        }
        return (try TallSkinnyQR.r(of: design), .householder)
    }

    /// The residual `r = (y − ȳ) − (X − x̄) b` and `g = (X − x̄)ᵀ r` in double precision, a block
    /// of rows of the augmented design at a time (packed row-major, `scilearn_residual_gradient`
    /// on it while it is in L1), blocks on every core summed in block order; returns `g` and
    /// ‖r‖².
    ///
    /// - Complexity: 4·n·p flops, one pass over the data.
    static func residualGradient(_ design: AugmentedDesign, b: [Double]) throws(SciLearnError) -> (g: [Double], rss: Double) {
        let n = design.rows, w = design.width, p = w - 1
        let step = 512
        let sums = try BlockedSum.sum(rows: n, size: w, work: n * w * 4) { (block, acc) throws(SciLearnError) in
            var buffer = [Double](repeating: 0, count: step * w)
            try CancellableBlocks.forEach(count: block.count, step: step) { (sub) throws(SciLearnError) in
                let m = sub.count
                buffer.withUnsafeMutableBufferPointer { bp in
                    design.fillRows((block.lowerBound + sub.lowerBound)..<(block.lowerBound + sub.upperBound), into: bp.baseAddress!, stride: w)
                    acc.withUnsafeMutableBufferPointer { ap in
                        ap[p] += scilearn_residual_gradient(bp.baseAddress!, m, w, p, b, ap.baseAddress!)
                    }
                }
            }
        }
        return (Array(sums[0..<p]), sums[p])
    }
}
