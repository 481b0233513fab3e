/// The engine's reduction over the rows of a tall matrix: fixed blocks of rows, each reduced
/// into its own zeroed partial result on whichever core takes it, the partials then summed in
/// block order, so that the result is bit-for-bit the same whatever the number of threads.
///
/// Gram matrices, centred cross products and the weighted products of Newton's method all take
/// this shape.
enum BlockedSum {
    /// The most rows per block, unless a caller takes larger blocks for large partials
    /// (``rowsPerBlock(partialSize:rowWidth:rows:)``). Blocks depend on the shapes only
    /// (``blockCount(rows:blockRows:)``), so that the order of the sum, and so its rounding,
    /// never depends on the thread count.
    static let blockRows = 16_384

    /// Blocks for `rows` rows: ⌈rows / blockRows⌉, rounded up to a multiple of four from four blocks
    /// on, so that two or four cores taking equal blocks finish together (W3's 200,000 rows made
    /// 13 blocks, 7 for one core and 6 for the other; now 16 of 12,500). Not timed apart from
    /// the changes around it (an earlier session found the same rounding for PCA's W5 within
    /// this host's noise); kept because it cannot lose.
    static func blockCount(rows: Int, blockRows: Int = BlockedSum.blockRows) -> Int {
        let blocks = max(1, (rows + blockRows - 1) / blockRows)
        return blocks < 4 ? blocks : (blocks + 3) / 4 * 4
    }

    /// The most rows per block of `rows` for partials of `size` doubles over rows of `width`
    /// values: ``blockRows``, or more for large partials, up to 128 · size / width (so that the
    /// partials, fresh memory zeroed then summed, stay within 1/128 of the data their blocks
    /// read) but never fewer than eight blocks (so that up to eight cores share the work; the
    /// count depends on the shapes only, never on the cores). For the p × p cross products of
    /// wide data: W5's 200,000 × 500 in 8 blocks of 25,000 rows instead of 16 (16 MB of partials
    /// instead of 32, which this host took about 45 ms to fault in); up to 131,072 rows, blocks
    /// of 16,384 as before.
    static func rowsPerBlock(partialSize size: Int, rowWidth width: Int, rows: Int) -> Int {
        max(blockRows, min(128 * (size / max(1, width)), (rows + 7) / 8))
    }

    /// Calls `body(rows, &partial)` for each of ``blockCount(rows:blockRows:)`` equal blocks of
    /// `0..<rows` (at most `blockRows` rows each, ``blockRows`` unless the caller sizes them by
    /// ``rowsPerBlock(partialSize:rowWidth:rows:)``; blocks in parallel when `work`, in elements
    /// touched, is large enough), each with a partial of `size` zeros, and returns the partials
    /// summed in block order.
    ///
    /// - Complexity: blockCount(rows:blockRows:) · size doubles for the partials.
    static func sum(rows: Int, size: Int, work: Int, blockRows: Int = BlockedSum.blockRows,
                    _ body: @Sendable (Range<Int>, inout [Double]) throws(SciLearnError) -> Void) throws(SciLearnError) -> [Double] {
        let partials = try Self.partials(rows: rows, size: size, work: work, blockRows: blockRows, body)
        var out = partials[0]
        for b in 1..<partials.count {
            let part = partials[b]
            for i in 0..<size { out[i] += part[i] }
        }
        return out
    }

    /// The partials of ``sum(rows:size:work:blockRows:_:)`` in block order, unsummed: for callers that
    /// fold some of their entries another way (double-double sums beside a Gram product).
    static func partials(rows: Int, size: Int, work: Int, blockRows: Int = BlockedSum.blockRows,
                         _ body: @Sendable (Range<Int>, inout [Double]) throws(SciLearnError) -> Void) throws(SciLearnError) -> [[Double]] {
        let blocks = blockCount(rows: rows, blockRows: blockRows)
        let length = max(1, (rows + blocks - 1) / blocks)
        return try Parallel.map(blocks, work: work) { (b: Int) throws(SciLearnError) -> [Double] in
            var partial = [Double](repeating: 0, count: size)
            let lo = min(rows, b * length)
            try body(lo..<min(rows, lo + length), &partial)
            return partial
        }
    }
}
