import CKernels

/// Sums and means about as accurate as double-double summation of every element, at memory speed:
/// blocks of 64 summed in eight compensated lanes (TwoSum, vectorised in `scilearn_column_stats`),
/// the blocks' sums accumulated in double-double.
enum AccurateSum {
    /// The mean of `count` elements starting at `base`, as a double-double.
    static func mean(_ base: UnsafePointer<Double>, count: Int) -> DoubleDouble {
        precondition(count > 0)
        var total = DoubleDouble(0)
        accumulate(base, count: count, into: &total)
        return total / Double(count)
    }

    /// Adds the `count` elements at `base` to `total`: blocks of ``block`` summed in eight
    /// compensated lanes in a fixed order (`scilearn_column_stats`, the same bits on every path),
    /// the block sums in double-double. Called on consecutive pieces whose lengths are multiples
    /// of ``block``, it gives the same total as one call over the whole.
    static func accumulate(_ base: UnsafePointer<Double>, count: Int, into total: inout DoubleDouble) {
        _ = scan(base, count: count, into: &total)
    }

    /// ``accumulate(_:count:into:)`` and, from the same pass, max |v| and whether every element
    /// is finite (`total` is meaningless when not).
    static func scan(_ base: UnsafePointer<Double>, count: Int, into total: inout DoubleDouble) -> (maxAbs: Double, finite: Bool) {
        let piece = 64 * block
        var maxAbs = 0.0, finite = true
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * piece / block) { sums in
            var i = 0
            while i < count {
                let c = min(piece, count - i)
                finite = scilearn_column_stats(base + i, c, sums.baseAddress!, &maxAbs) != 0 && finite
                for b in 0..<((c + block - 1) / block) { total = total + sums[2 * b] + sums[2 * b + 1] }
                i += c
            }
        }
        return (maxAbs, finite)
    }

    /// Elements summed naively before a block sum joins the double-double total.
    static let block = 64

    /// Column means of `x`, each as a double-double, columns split across cores.
    ///
    /// - Throws: `cancelled` only (the parallel loop checks the current cancellation token).
    static func columnMeans(_ x: Matrix) throws(SciLearnError) -> [DoubleDouble] {
        let n = x.rows, ld = x.leadingDimension
        if n == 0 { return [DoubleDouble](repeating: DoubleDouble(0), count: x.columns) }
        return try Parallel.map(x.columns, work: n * x.columns) { (j: Int) -> DoubleDouble in
            x.withUnsafeBufferPointer { mean($0.baseAddress! + j * ld, count: n) }
        }
    }
}
