import CLapack

extension TallRows {
    /// AᵀA for the w columns of this row-produced matrix (both triangles filled, w × w,
    /// column-major): for the augmented, centred design `[X − x̄, Y − ȳ]` one pass gives the
    /// centred Gram matrix, Xcᵀ Yc and Ycᵀ Yc together, without a centred copy of X.
    ///
    /// Rows are produced a few hundred at a time into a buffer that stays in cache, then folded
    /// in by a BLAS-3 `dsyrk`; blocks of rows run on every core and are summed in block order
    /// (``BlockedSum``), with a cancellation check before each buffer.
    ///
    /// - Complexity: rows·w² flops; one pass over the data.
    func crossProduct() throws(SciLearnError) -> [Double] {
        let w = width, n = rows
        if w == 0 { return [] }
        let step = max(64, min(BlockedSum.blockRows, min((1 << 18) / w, (1 << 27) / (w * w))))
        var out = try BlockedSum.sum(rows: n, size: w * w, work: n * w * w) { (block, c) throws(SciLearnError) in
            var buffer = [Double](repeating: 0, count: step * w)
            try CancellableBlocks.forEach(count: block.count, step: step) { (sub) throws(SciLearnError) in
                let m = sub.count
                buffer.withUnsafeMutableBufferPointer { bp in
                    fill((block.lowerBound + sub.lowerBound)..<(block.lowerBound + sub.upperBound), into: bp.baseAddress!, ld: m)
                    c.withUnsafeMutableBufferPointer { cs in
                        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(w), Int32(m), 1.0,
                                    bp.baseAddress, Int32(m), 1.0, cs.baseAddress, Int32(w))
                    }
                }
            }
        }
        Matrix.mirrorUpper(&out, n: w)
        return out
    }
}
