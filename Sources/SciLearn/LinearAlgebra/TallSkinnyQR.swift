/// The R factor of a tall, skinny matrix by a blocked tall-skinny QR (TSQR): Householder QR of
/// fixed row blocks streamed through `dtpqrt` into one running triangle per leaf, leaves on all
/// cores, then the leaves' triangles combined in index order.
///
/// Implementation goals, in order: the backward stability of Householder QR (TSQR is a
/// Householder QR with a different reduction order); results independent of the core count
/// (leaf boundaries are fixed and leaves combine in a fixed order); then speed: each block stays
/// in cache while it is reduced, so the matrix is read from memory once instead of once per
/// column as `dgeqrf`'s BLAS-2 panel does.
///
/// - Complexity: 2·n·w² flops for n rows and w columns, one pass over the data.
enum TallSkinnyQR {
    /// Rows reduced per `dtpqrt` call: a block of `blockRows × w` doubles stays in L2.
    static let blockRows = 512

    /// Rows per `dtpqrt` call for `w` columns: ``blockRows``, fewer for wide designs so that one
    /// call (2·m·w² flops, between two cancellation checks) stays near 10⁸ flops, at least 32
    /// rows. Depends on the shape only, so results stay independent of the thread count.
    static func blockRows(columns w: Int) -> Int {
        max(32, min(blockRows, (1 << 26) / max(1, w * w)))
    }
    /// Rows per leaf: the unit of parallel work (fixed, so results do not depend on core count).
    static let leafRows = 32_768

    /// The upper-triangular `w × w` factor R (column-major) of a tall matrix (the augmented
    /// design, or a wide design's transpose), whose diagonal may carry either sign.
    static func r(of design: some TallRows) throws(SciLearnError) -> [Double] {
        try reduce(design)
    }

    private static func reduce(_ design: some TallRows) throws(SciLearnError) -> [Double] {
        let w = design.width
        let n = design.rows
        let leaves = max(1, (n + leafRows - 1) / leafRows)
        let triangles = try Parallel.map(leaves) { (leaf: Int) throws(SciLearnError) -> [Double] in
            let lo = leaf * leafRows
            let hi = min(n, lo + leafRows)
            return try reduceLeaf(design, rows: lo..<hi)
        }
        var r = triangles[0]
        if triangles.count > 1 {
            var ws = LAPACK.TPQRTWorkspace(columns: w)
            for k in 1..<triangles.count {
                try CancellationToken.check()
                var b = triangles[k]
                try r.withUnsafeMutableBufferPointer { (rp) throws(SciLearnError) in
                    try b.withUnsafeMutableBufferPointer { (bp) throws(SciLearnError) in
                        try LAPACK.tpqrt(m: w, n: w, a: rp.baseAddress!, lda: w, b: bp.baseAddress!, ldb: w, workspace: &ws)
                    }
                }
            }
        }
        // Below-diagonal entries of the running triangle are never touched by dtpqrt; clear any
        // reflector data so that R is exactly upper triangular.
        for j in 0..<w { for i in (j + 1)..<w { r[i + j * w] = 0 } }
        return r
    }

    /// Streams the rows of one leaf, a block at a time, into a running triangle, checking for
    /// cancellation before each block.
    private static func reduceLeaf(_ design: some TallRows, rows: Range<Int>) throws(SciLearnError) -> [Double] {
        let w = design.width
        let step = blockRows(columns: w)
        var r = [Double](repeating: 0, count: w * w)
        var block = [Double](repeating: 0, count: step * w)
        var ws = LAPACK.TPQRTWorkspace(columns: w)
        var start = rows.lowerBound
        while start < rows.upperBound {
            try CancellationToken.check()
            let end = min(rows.upperBound, start + step)
            let m = end - start
            try r.withUnsafeMutableBufferPointer { (rp) throws(SciLearnError) in
                try block.withUnsafeMutableBufferPointer { (bp) throws(SciLearnError) in
                    design.fill(start..<end, into: bp.baseAddress!, ld: m)
                    try LAPACK.tpqrt(m: m, n: w, a: rp.baseAddress!, lda: w, b: bp.baseAddress!, ldb: m, workspace: &ws)
                }
            }
            start = end
        }
        return r
    }
}
