/// Sums and means accurate to about 1e-16 relative to the data's magnitude, at close to the
/// speed of a naive loop: blocks of 64 summed naively (vectorisable), block sums accumulated
/// in double-double.
enum AccurateSum {
    /// The mean of `count` elements starting at `base`, as a double-double.
    static func mean(_ base: UnsafePointer<Double>, count: Int) -> DoubleDouble {
        precondition(count > 0)
        var total = DoubleDouble(0)
        var i = 0
        while i < count {
            let end = min(count, i + 64)
            var s = 0.0
            for k in i..<end { s += base[k] }
            total = total + s
            i = end
        }
        return total / Double(count)
    }

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
