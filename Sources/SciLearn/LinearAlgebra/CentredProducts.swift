import CLapack

/// Products of the column-centred data `Xc = X − 1·mᵀ` with skinny matrices, without a centred
/// copy of X: rows are centred a block at a time into a buffer that stays in cache and
/// multiplied there by `dgemm`, blocks on every core. The randomized range finder's passes and
/// PCA's `transform` are these two products.
///
/// Centring before multiplying (rather than `X·Q − 1·(mᵀQ)`) keeps the digits of data far from
/// the origin: with column means of 1e6 and unit spread the subtraction loses none, the
/// correction would lose six.
struct CentredProducts: Sendable {
    let x: Matrix
    /// The column means subtracted from every row.
    let mean: [Double]

    init(_ x: Matrix, mean: [Double]) {
        precondition(mean.count == x.columns, "one mean per column")
        self.x = x
        self.mean = mean
    }

    /// Rows centred and multiplied per `dgemm`: the m × p buffer near 1 MiB.
    var stepRows: Int { max(16, min(1024, (1 << 17) / max(1, x.columns))) }

    /// `Xc · Q` (n × l, column-major) for Q p × l (column-major). Each row of the result
    /// depends on its own row of X only, so the result is the same at any thread count.
    ///
    /// - Complexity: 2·n·p·l flops, one pass over X.
    func times(_ q: [Double], columns l: Int) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns, step = stepRows
        precondition(q.count == p * l, "Q must be p × l")
        let out = SharedBuffer<Double>(repeating: 0, count: n * l)
        if n == 0 || l == 0 { return [] }
        let piece = step * 16
        let pieces = (n + piece - 1) / piece
        let design = AugmentedDesign(x: x, targets: Matrix(rows: 0, columns: 0), xShift: mean, yShifts: [], leadingOnes: false)
        _ = try Parallel.map(pieces, work: n * p * max(1, l / 4)) { (k: Int) throws(SciLearnError) -> Int in
            var buffer = [Double](repeating: 0, count: step * p)
            let lo = k * piece, hi = min(n, lo + piece)
            try CancellableBlocks.forEach(count: hi - lo, step: step) { (sub) throws(SciLearnError) in
                let m = sub.count, start = lo + sub.lowerBound
                buffer.withUnsafeMutableBufferPointer { bp in
                    design.fill(start..<(start + m), into: bp.baseAddress!, ld: m)
                    q.withUnsafeBufferPointer { qp in
                        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(l), Int32(p), 1,
                                    bp.baseAddress, Int32(m), qp.baseAddress, Int32(p), 0, out.pointer + start, Int32(n))
                    }
                }
            }
            return 0
        }
        return out.array
    }

    /// `Xcᵀ · Y` (p × l, column-major) for Y n × l (column-major): partial products over fixed
    /// blocks of rows summed in block order (``BlockedSum``), so the same at any thread count.
    ///
    /// - Complexity: 2·n·p·l flops, one pass over X.
    func transposeTimes(_ y: [Double], columns l: Int) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns, step = stepRows
        precondition(y.count == n * l, "Y must be n × l")
        if p == 0 || l == 0 { return [] }
        let design = AugmentedDesign(x: x, targets: Matrix(rows: 0, columns: 0), xShift: mean, yShifts: [], leadingOnes: false)
        return try BlockedSum.sum(rows: n, size: p * l, work: n * p * max(1, l / 4)) { (block, z) throws(SciLearnError) in
            var buffer = [Double](repeating: 0, count: step * p)
            try CancellableBlocks.forEach(count: block.count, step: step) { (sub) throws(SciLearnError) in
                let m = sub.count, start = block.lowerBound + sub.lowerBound
                buffer.withUnsafeMutableBufferPointer { bp in
                    design.fill(start..<(start + m), into: bp.baseAddress!, ld: m)
                    y.withUnsafeBufferPointer { yp in
                        z.withUnsafeMutableBufferPointer { zp in
                            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(l), Int32(m), 1,
                                        bp.baseAddress, Int32(m), yp.baseAddress! + start, Int32(n), 1, zp.baseAddress, Int32(p))
                        }
                    }
                }
            }
        }
    }

    /// Σⱼ Σᵢ (xᵢⱼ − mⱼ)²: the total sum of squares about the means, columns on every core.
    ///
    /// - Complexity: 3·n·p flops.
    func totalSumOfSquares() throws(SciLearnError) -> Double {
        let n = x.rows, ld = x.leadingDimension
        let perColumn = try Parallel.map(x.columns, work: n * x.columns) { (j: Int) -> Double in
            let m = mean[j]
            return x.withUnsafeBufferPointer { xs in
                let col = xs.baseAddress! + j * ld
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                var i = 0
                while i + 4 <= n {
                    let a = col[i] - m, b = col[i + 1] - m, c = col[i + 2] - m, d = col[i + 3] - m
                    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
                    i += 4
                }
                while i < n { let a = col[i] - m; s0 += a * a; i += 1 }
                return (s0 + s1) + (s2 + s3)
            }
        }
        return perColumn.reduce(0, +)
    }
}
