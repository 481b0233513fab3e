import CLapack
import CKernels

extension TallRows {
    /// Widths up to which ``crossProduct()`` runs the engine's register-tiled Gram kernel
    /// (`scilearn_gram_accumulate`) on row-major blocks; wider matrices use ``WideGram`` (the
    /// engine's packed 8 × 6 kernel with AVX2, else `dsyrk`) on column-major blocks.
    static var gramKernelWidth: Int { WideGram.narrowWidth }
    /// Rows per row-major block of the Gram kernel: 64 rows of W1's 52 columns stay in L1
    /// (64 to 256 measured alike on W1; 64 faster than 128 on W3's logistic Hessian).
    static var gramKernelRows: Int { 64 }

    /// AᵀA for the w columns of this row-produced matrix (both triangles filled, w × w,
    /// column-major): for the augmented, centred design `[X − x̄, Y − ȳ]` one pass gives the
    /// centred Gram matrix, Xcᵀ Yc and Ycᵀ Yc together, without a centred copy of X.
    ///
    /// Rows are produced a few hundred at a time into a buffer that stays in cache, then folded
    /// in by a Gram product (``WideGram``); blocks of rows run on every core and are summed in block order
    /// (``BlockedSum``), with a cancellation check before each buffer.
    ///
    /// - Complexity: rows·w² flops; one pass over the data.
    func crossProduct() throws(SciLearnError) -> [Double] {
        let w = width
        if w == 0 || w > Self.gramKernelWidth { return try crossProduct(rightDivisor: nil) }
        let n = rows, stride = (w + 3) / 4 * 4
        let step = Self.gramKernelRows
        let c = try BlockedSum.sum(rows: n, size: stride * stride, work: n * w * w) { (block, c) throws(SciLearnError) in
            // Zeroed once: the padding columns past `w` are never written, so they add nothing.
            var buffer = [Double](repeating: 0, count: step * stride)
            try CancellableBlocks.forEach(count: block.count, step: step) { (sub) throws(SciLearnError) in
                let m = sub.count
                buffer.withUnsafeMutableBufferPointer { bp in
                    fillRows((block.lowerBound + sub.lowerBound)..<(block.lowerBound + sub.upperBound), into: bp.baseAddress!, stride: stride)
                    c.withUnsafeMutableBufferPointer { cs in
                        scilearn_gram_accumulate(bp.baseAddress!, m, stride, cs.baseAddress!)
                    }
                }
            }
        }
        var out = [Double](repeating: 0, count: w * w)
        for j in 0..<w { for i in 0..<w { out[i + j * w] = c[min(i, j) * stride + max(i, j)] } }
        return out
    }

    /// (A R⁻¹)ᵀ(A R⁻¹) for an upper triangular w × w `r` (column-major), A R⁻¹ formed a block of
    /// rows at a time by `dtrsm` in the cache-resident buffer and never stored: the second pass
    /// of ``CholeskyQR``. Blocks of rows as PCA's cross products take them (at least eight,
    /// larger than 16,384 rows only for large data), summed in block order.
    ///
    /// - Complexity: 2·rows·w² flops; one pass over the data.
    func crossProduct(rightDivisor r: [Double]?) throws(SciLearnError) -> [Double] {
        let w = width, n = rows
        if w == 0 { return [] }
        precondition(r == nil || r!.count == w * w, "the divisor must be w × w")
        let step = max(64, min(BlockedSum.blockRows, min((1 << 18) / w, (1 << 27) / (w * w))))
        let work = n * w * w * (r == nil ? 1 : 2)
        // Blocks sized for the w × w partials (``BlockedSum/rowsPerBlock(partialSize:rowWidth:rows:)``):
        // fresh partials are slow to fault in, and at w = 500 there would be 16 of 2 MB.
        let blockRows = BlockedSum.rowsPerBlock(partialSize: w * w, rowWidth: w, rows: n)
        var out = try BlockedSum.sum(rows: n, size: w * w, work: work, blockRows: blockRows) { (block, c) throws(SciLearnError) in
            var buffer = [Double](repeating: 0, count: step * w)
            var gramWork = WideGram.workspace(columns: w)
            try CancellableBlocks.forEach(count: block.count, step: step) { (sub) throws(SciLearnError) in
                let m = sub.count
                buffer.withUnsafeMutableBufferPointer { bp in
                    fill((block.lowerBound + sub.lowerBound)..<(block.lowerBound + sub.upperBound), into: bp.baseAddress!, ld: m)
                    if let r {
                        r.withUnsafeBufferPointer { rp in
                            cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit,
                                        Int32(m), Int32(w), 1, rp.baseAddress, Int32(w), bp.baseAddress, Int32(m))
                        }
                    }
                    c.withUnsafeMutableBufferPointer { cs in
                        WideGram.accumulateUpper(bp.baseAddress!, lda: m, rows: m, columns: w, into: cs.baseAddress!, ldc: w, work: &gramWork)
                    }
                }
            }
        }
        Matrix.mirrorUpper(&out, n: w)
        return out
    }
}
