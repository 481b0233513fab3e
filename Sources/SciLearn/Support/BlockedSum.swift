/// The engine's reduction over the rows of a tall matrix: fixed blocks of rows, each reduced
/// into its own zeroed partial result on whichever core takes it, the partials then summed in
/// block order, so that the result is bit-for-bit the same whatever the number of threads.
///
/// Gram matrices, centred cross products and the weighted products of Newton's method all take
/// this shape.
enum BlockedSum {
    /// The most rows per block. Blocks depend on the row count only (``blockCount(rows:)``), so
    /// that the order of the sum, and so its rounding, never depends on the thread count.
    static let blockRows = 16_384

    /// Blocks for `rows` rows: ⌈rows / 16,384⌉, rounded up to a multiple of four from four blocks
    /// on, so that two or four cores taking equal blocks finish together (W3's 200,000 rows made
    /// 13 blocks, 7 for one core and 6 for the other; now 16 of 12,500). Not timed apart from
    /// the changes around it (an earlier session found the same rounding for PCA's W5 within
    /// this host's noise); kept because it cannot lose.
    static func blockCount(rows: Int) -> Int {
        let blocks = max(1, (rows + blockRows - 1) / blockRows)
        return blocks < 4 ? blocks : (blocks + 3) / 4 * 4
    }

    /// Calls `body(rows, &partial)` for each of ``blockCount(rows:)`` equal blocks of `0..<rows`
    /// (at most ``blockRows`` rows each; blocks in parallel when `work`, in elements touched, is
    /// large enough), each with a partial of `size` zeros, and returns the partials summed in
    /// block order.
    ///
    /// - Complexity: blockCount(rows:) · size doubles for the partials.
    static func sum(rows: Int, size: Int, work: Int,
                    _ body: @Sendable (Range<Int>, inout [Double]) throws(SciLearnError) -> Void) throws(SciLearnError) -> [Double] {
        let partials = try Self.partials(rows: rows, size: size, work: work, body)
        var out = partials[0]
        for b in 1..<partials.count {
            let part = partials[b]
            for i in 0..<size { out[i] += part[i] }
        }
        return out
    }

    /// The partials of ``sum(rows:size:work:_:)`` in block order, unsummed: for callers that
    /// fold some of their entries another way (double-double sums beside a Gram product).
    static func partials(rows: Int, size: Int, work: Int,
                         _ body: @Sendable (Range<Int>, inout [Double]) throws(SciLearnError) -> Void) throws(SciLearnError) -> [[Double]] {
        let blocks = blockCount(rows: rows)
        let length = max(1, (rows + blocks - 1) / blocks)
        return try Parallel.map(blocks, work: work) { (b: Int) throws(SciLearnError) -> [Double] in
            var partial = [Double](repeating: 0, count: size)
            let lo = min(rows, b * length)
            try body(lo..<min(rows, lo + length), &partial)
            return partial
        }
    }
}
