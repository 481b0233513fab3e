import CLapack

extension Matrix {
    /// XᵀX, the p × p Gram matrix (both triangles filled).
    ///
    /// The engine's threading policy in one call (a blocked sum): fixed blocks of rows each go
    /// through a BLAS-3 `dsyrk` on one thread, blocks run on every core the thread budget grants,
    /// and the partial products are summed in block order, so that the result is identical
    /// whatever the thread count and a lone large product still uses every core (OpenBLAS itself
    /// stays at one thread).
    ///
    /// - Complexity: n·p² flops; (n / 16,384 + 1)·p² doubles of memory for the partial products.
    public func gram() throws(SciLearnError) -> Matrix {
        let n = rows, p = columns, ld = leadingDimension
        if p == 0 { return Matrix(rows: 0, columns: 0) }
        let storage = self.storage
        var out = try BlockedSum.sum(rows: n, size: p * p, work: n * p * p) { (block, c) throws(SciLearnError) in
            // Within a block, rank-k updates of at most ~10⁸ flops each, with a cancellation
            // check before each (the split depends on p only).
            try CancellableBlocks.forEach(count: block.count, step: max(64, (1 << 27) / (p * p))) { (sub) throws(SciLearnError) in
                storage.withUnsafeBufferPointer { xs in
                    c.withUnsafeMutableBufferPointer { cs in
                        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(sub.count), 1.0,
                                    xs.baseAddress! + block.lowerBound + sub.lowerBound, Int32(ld), 1.0,
                                    cs.baseAddress, Int32(p))
                    }
                }
            }
        }
        Self.mirrorUpper(&out, n: p)
        return Matrix(rows: p, columns: p, columnMajor: out)
    }

    /// Copies the upper triangle of the `n × n` column-major `a` into its lower triangle.
    static func mirrorUpper(_ a: inout [Double], n: Int) {
        for j in 0..<n { for i in 0..<j { a[j + i * n] = a[i + j * n] } }
    }
}
