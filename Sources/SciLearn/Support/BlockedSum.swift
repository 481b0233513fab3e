/// The engine's reduction over the rows of a tall matrix: fixed blocks of rows, each reduced
/// into its own zeroed partial result on whichever core takes it, the partials then summed in
/// block order, so that the result is bit-for-bit the same whatever the number of threads.
///
/// Gram matrices, centred cross products and the weighted products of Newton's method all take
/// this shape.
enum BlockedSum {
    /// Rows per block: fixed, so that the order of the sum, and so its rounding, never depends on
    /// the thread count.
    static let blockRows = 16_384

    /// Calls `body(rows, &partial)` for each block of ``blockRows`` rows of `0..<rows` (blocks in
    /// parallel when `work`, in elements touched, is large enough), each with a partial of `size`
    /// zeros, and returns the partials summed in block order.
    ///
    /// - Complexity: (rows / 16,384 + 1) · size doubles for the partials.
    static func sum(rows: Int, size: Int, work: Int,
                    _ body: @Sendable (Range<Int>, inout [Double]) throws(SciLearnError) -> Void) throws(SciLearnError) -> [Double] {
        let blocks = max(1, (rows + blockRows - 1) / blockRows)
        let partials = try Parallel.map(blocks, work: work) { (b: Int) throws(SciLearnError) -> [Double] in
            var partial = [Double](repeating: 0, count: size)
            try body(b * blockRows..<min(rows, (b + 1) * blockRows), &partial)
            return partial
        }
        var out = partials[0]
        for b in 1..<partials.count {
            let part = partials[b]
            for i in 0..<size { out[i] += part[i] }
        }
        return out
    }
}
