import CLapack

/// Products of the column-centred data `Xc = X − 1·mᵀ` with skinny matrices, without a centred
/// copy of X: rows are centred a block at a time into a buffer that stays in cache and
/// multiplied there by `dgemm`, blocks on every core. The randomized range finder's passes and
/// PCA's `transform` are these two products.
///
/// Centring before multiplying (rather than `X·Q − 1·(mᵀQ)`) keeps the digits of data far from
/// the origin: with column means of 1e6 and unit spread the subtraction loses no digits, the
/// correction about six (the means' size over the spread). When the means are within 8 times
/// the rows' RMS deviation (‖x̄‖² ≤ 64·Σ(x − x̄)²/n, at most three bits lost), the products run
/// on X itself and subtract the correction: no copy, one `dgemm` per large block (the whole
/// randomized fit of the protocol's W5 from 2.5 to 2.2 s, `Docs/benchmarks.md`).
struct CentredProducts: Sendable {
    let x: Matrix
    /// The column means subtracted from every row.
    let mean: [Double]
    /// Whether products run on X directly with the rank-one correction (means close to the data).
    let direct: Bool

    /// Products that centre every block of rows before multiplying.
    init(_ x: Matrix, mean: [Double]) {
        precondition(mean.count == x.columns, "one mean per column")
        self.x = x
        self.mean = mean
        direct = false
    }

    /// Products that run on X directly when the means are close enough to the data for the
    /// correction to cost at most three bits (``totalSumOfSquares()`` of the centring products).
    init(_ x: Matrix, mean: [Double], totalSumOfSquares ss: Double) {
        precondition(mean.count == x.columns, "one mean per column")
        self.x = x
        self.mean = mean
        let meanSquare = mean.reduce(0) { $0 + $1 * $1 }
        direct = x.rows > 0 && meanSquare <= 64 * ss / Double(x.rows)
    }

    /// Rows per `dgemm` on X itself.
    static let directRows = 4096

    /// Rows centred and multiplied per `dgemm`: the m × p buffer near 1 MiB.
    var stepRows: Int { Self.stepRows(columns: x.columns) }

    /// Rows per centred block for p columns (one such buffer per thread).
    static func stepRows(columns p: Int) -> Int { max(16, min(1024, (1 << 17) / max(1, p))) }

    /// Bytes of the per-thread block buffers for p columns.
    static func bufferBytes(columns p: Int) -> Double {
        8 * Double(Parallel.coreCount) * Double(stepRows(columns: p)) * Double(p)
    }

    /// `Xc · Q` (n × l, column-major) for Q p × l (column-major). Each row of the result
    /// depends on its own row of X only, so the result is the same at any thread count.
    ///
    /// - Complexity: 2·n·p·l flops, one pass over X.
    func times(_ q: [Double], columns l: Int) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns, step = stepRows
        precondition(q.count == p * l, "Q must be p × l")
        let out = SharedBuffer<Double>(repeating: 0, count: n * l)
        if n == 0 || l == 0 { return [] }
        if direct { return try directTimes(q, columns: l, into: out) }
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
        if direct { return try directTransposeTimes(y, columns: l) }
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

    /// `X·Q − 1·(x̄ᵀQ)` by blocks of ``directRows`` rows of X itself.
    private func directTimes(_ q: [Double], columns l: Int, into out: SharedBuffer<Double>) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns, ld = x.leadingDimension
        let shift = (0..<l).map { c in (0..<p).reduce(0.0) { $0 + mean[$1] * q[$1 + c * p] } }
        let pieces = (n + Self.directRows - 1) / Self.directRows
        _ = try Parallel.map(pieces, work: n * p * max(1, l / 4)) { (k: Int) throws(SciLearnError) -> Int in
            let lo = k * Self.directRows, m = min(n, lo + Self.directRows) - lo
            x.withUnsafeBufferPointer { xs in
                q.withUnsafeBufferPointer { qp in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(l), Int32(p), 1,
                                xs.baseAddress! + lo, Int32(ld), qp.baseAddress, Int32(p), 0, out.pointer + lo, Int32(n))
                }
            }
            for c in 0..<l {
                let col = out.pointer + c * n + lo, s = shift[c]
                for i in 0..<m { col[i] -= s }
            }
            return 0
        }
        return out.array
    }

    /// `Xᵀ·Y − x̄·(1ᵀY)`: one `dgemm` per fixed block of rows of X itself, summed in block order.
    private func directTransposeTimes(_ y: [Double], columns l: Int) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns, ld = x.leadingDimension
        var z = try BlockedSum.sum(rows: n, size: p * l, work: n * p * max(1, l / 4)) { (block, z) throws(SciLearnError) in
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { yp in
                    z.withUnsafeMutableBufferPointer { zp in
                        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(l), Int32(block.count), 1,
                                    xs.baseAddress! + block.lowerBound, Int32(ld), yp.baseAddress! + block.lowerBound, Int32(n),
                                    0, zp.baseAddress, Int32(p))
                    }
                }
            }
        }
        for c in 0..<l {
            var total = 0.0
            y.withUnsafeBufferPointer { yp in for i in 0..<n { total += yp[i + c * n] } }
            for j in 0..<p { z[j + c * p] -= mean[j] * total }
        }
        return z
    }

    /// `XcᵀXc` (p × p, column-major, both triangles), for covariance_eigh and the randomized
    /// solver's power iterations. First on X itself: Gram products (``WideGram``: the engine's
    /// kernel for wide data, else `dsyrk`) over fixed blocks of rows (``blockRows(rows:columns:)``;
    /// no centred copy; summed in block order, so the same at any thread count), less n·x̄x̄ᵀ
    /// (``centred(_:of:mean:)``).
    ///
    /// - Complexity: n·p² flops; one pass over X (two for data far from the origin).
    static func crossProducts(_ x: Matrix, mean: [Double]) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns
        precondition(mean.count == p, "one mean per column")
        var g = try BlockedSum.sum(rows: n, size: p * p, work: n * p * p, blockRows: blockRows(rows: n, columns: p)) { (block, c) throws(SciLearnError) in
            try blockProducts(x, rows: block, into: &c, sums: false)
        }
        return try centred(&g, of: x, mean: mean)
    }

    /// ``crossProducts(_:mean:)`` and the column means from the same pass, where the Gram
    /// product runs on the engine's kernel (``WideGram``): the kernel sums each column as a
    /// double-double while it packs the rows, so X is not read a second time to validate it and
    /// take its means (covariance_eigh's fit reads X once). A NaN or an infinity in X makes its
    /// column's sum or its diagonal entry non-finite; the validation pass then runs and names
    /// the first one, as it does before the other solvers (finite values whose squares overflow
    /// pass it, and the fit reports them as before). Bad X is so reported after the product's
    /// pass rather than before it: the same error, a pass later. The means can differ from the
    /// validation pass's by a unit in the last place (the same double-double sum in another order). Elsewhere: the validation pass, then
    /// ``crossProducts(_:mean:)``.
    ///
    /// - Throws: `invalidData` naming `name[row][column]` for a non-finite value; `cancelled`.
    /// - Complexity: n·p² flops; one pass over X (two for data far from the origin).
    static func crossProductsAndMeans(_ x: Matrix, name: String) throws(SciLearnError) -> (products: [Double], mean: [Double]) {
        let n = x.rows, p = x.columns
        guard n > 0, WideGram.usesKernel(columns: p) else {
            let mean = try Validation.finiteColumnMaximaAndMeans(x, name: name).means.map(\.value)
            return (try crossProducts(x, mean: mean), mean)
        }
        var partials = try BlockedSum.partials(rows: n, size: p * p + 2 * p, work: n * p * p, blockRows: blockRows(rows: n, columns: p)) {
            (block, c) throws(SciLearnError) in
            try blockProducts(x, rows: block, into: &c, sums: true)
        }
        // The products summed in block order as BlockedSum sums them (into the first partial,
        // taken out of the list: no copy); the sums as double-doubles.
        var g: [Double] = []
        swap(&g, &partials[0])
        var sums = (0..<p).map { DoubleDouble(g[p * p + 2 * $0], g[p * p + 2 * $0 + 1]) }
        g.removeLast(2 * p)
        for part in partials.dropFirst() {
            for i in 0..<(p * p) { g[i] += part[i] }
            for j in 0..<p { sums[j] = sums[j] + DoubleDouble(part[p * p + 2 * j], part[p * p + 2 * j + 1]) }
        }
        var mean = sums.map { ($0 / Double(n)).value }
        if !(0..<p).allSatisfy({ g[$0 + $0 * p].isFinite && mean[$0].isFinite }) {
            mean = try Validation.finiteColumnMaximaAndMeans(x, name: name).means.map(\.value)
        }
        return (try centred(&g, of: x, mean: mean), mean)
    }

    /// Rows per block of the cross products' partials
    /// (``BlockedSum/rowsPerBlock(partialSize:rowWidth:rows:)``: 25,000 for W5's 200,000 × 500).
    static func blockRows(rows n: Int, columns p: Int) -> Int { BlockedSum.rowsPerBlock(partialSize: p * p, rowWidth: p, rows: n) }

    /// One block's partial: the upper triangle of X[rows]ᵀX[rows] into `c` (p × p), and with
    /// `sums` each column's double-double sum after it (2·p more doubles), with a cancellation
    /// check before each 16,384 rows. On the engine's kernel that is a multiple of its 128-row
    /// chunks, so the same sums as one call; through `dsyrk` (no AVX2) a sum per 16,384 rows,
    /// fixed by the shapes all the same.
    private static func blockProducts(_ x: Matrix, rows block: Range<Int>, into c: inout [Double], sums: Bool) throws(SciLearnError) {
        let p = x.columns
        var work = WideGram.workspace(columns: p)
        try CancellableBlocks.forEach(count: block.count, step: BlockedSum.blockRows) { (sub) throws(SciLearnError) in
            x.withUnsafeBufferPointer { xs in
                c.withUnsafeMutableBufferPointer { cs in
                    WideGram.accumulateUpper(xs.baseAddress! + block.lowerBound + sub.lowerBound, lda: x.leadingDimension, rows: sub.count,
                                             columns: p, into: cs.baseAddress!, ldc: p, work: &work, sums: sums ? cs.baseAddress! + p * p : nil)
                }
            }
        }
    }

    /// The cross products `g` of X itself (upper triangle) made those of the centred rows: less
    /// n·x̄x̄ᵀ, mirrored. When that subtraction cancels more than three bits of the total
    /// (n·‖x̄‖² above 7 times the centred trace, read off the diagonal), the product is formed
    /// again from centred blocks (``TallRows/crossProduct()``), which keep the digits of data
    /// far from the origin.
    private static func centred(_ g: inout [Double], of x: Matrix, mean: [Double]) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns
        let nd = Double(n)
        var trace = 0.0, meanSquare = 0.0
        for j in 0..<p {
            for i in 0...j { g[i + j * p] -= nd * mean[i] * mean[j] }
            trace += g[j + j * p]
            meanSquare += mean[j] * mean[j]
        }
        guard nd * meanSquare <= 7 * trace else {
            let design = AugmentedDesign(x: x, targets: Matrix(rows: 0, columns: 0), xShift: mean, yShifts: [], leadingOnes: false)
            return try design.crossProduct()
        }
        Matrix.mirrorUpper(&g, n: p)
        return g
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
