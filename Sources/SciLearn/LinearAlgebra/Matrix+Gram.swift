import CLapack

extension Matrix {
    /// Rows per block of ``gram()``: fixed, so that the sum's order, and so its rounding, never
    /// depends on the number of threads.
    static let gramBlockRows = 16_384

    /// XᵀX, the p × p Gram matrix (both triangles filled), for the normal-equation solvers that
    /// come next (ridge, the Newton steps of logistic regression, covariance PCA).
    ///
    /// The engine's threading policy in one call: fixed blocks of rows each go through a BLAS-3
    /// `dsyrk` on one thread, blocks run on every core the thread budget grants, and the partial
    /// products are summed in block order, so that the result is identical whatever the thread
    /// count and a lone large product still uses every core (OpenBLAS itself stays at one thread).
    ///
    /// - Complexity: n·p² flops; (n / 16,384 + 1)·p² doubles of memory for the partial products.
    public func gram() throws(SciLearnError) -> Matrix {
        let n = rows, p = columns, ld = leadingDimension
        if p == 0 { return Matrix(rows: 0, columns: 0) }
        let blocks = max(1, (n + Self.gramBlockRows - 1) / Self.gramBlockRows)
        let storage = self.storage
        let partials = try Parallel.map(blocks, work: n * p * p) { (b: Int) throws(SciLearnError) -> [Double] in
            let lo = b * Self.gramBlockRows, m = min(n, lo + Self.gramBlockRows) - lo
            var c = [Double](repeating: 0, count: p * p)
            // Within a block, rank-k updates of at most ~10⁸ flops each, with a cancellation
            // check before each (the split depends on p only).
            try CancellableBlocks.forEach(count: m, step: max(64, (1 << 27) / (p * p))) { (rows) throws(SciLearnError) in
                storage.withUnsafeBufferPointer { xs in
                    c.withUnsafeMutableBufferPointer { cs in
                        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(rows.count), 1.0,
                                    xs.baseAddress! + lo + rows.lowerBound, Int32(ld), rows.lowerBound == 0 ? 0.0 : 1.0,
                                    cs.baseAddress, Int32(p))
                    }
                }
            }
            return c
        }
        var out = partials[0]
        for b in 1..<partials.count {
            let part = partials[b]
            for j in 0..<p { for i in 0...j { out[i + j * p] += part[i + j * p] } }
        }
        for j in 0..<p { for i in 0..<j { out[j + i * p] = out[i + j * p] } }
        return Matrix(rows: p, columns: p, columnMajor: out)
    }
}
