extension MiniBatchKMeans {
    /// Draws row indices with replacement, each with probability proportional to its weight
    /// (uniform when unweighted): NumPy's `choice(n, p=w / Σw)`, a binary search of the
    /// cumulative weights, here on the engine's generator.
    struct RowSampler {
        let rows: Int
        /// The running sums of the weights; nil when every weight is 1.
        let cumulative: [Double]?
        /// The last row of positive weight: where a draw at the very top lands.
        let lastPositive: Int

        init(_ data: KMeansData) {
            rows = data.rows
            if let w = data.weights {
                var running = 0.0
                cumulative = w.map { running += $0; return running }
                lastPositive = w.lastIndex(where: { $0 > 0 }) ?? (data.rows - 1)
            } else {
                cumulative = nil
                lastPositive = data.rows - 1
            }
        }

        /// The next row: the first whose cumulative weight exceeds u · Σw.
        func draw(_ generator: inout SeededGenerator) -> Int {
            guard let cumulative else { return generator.nextIndex(below: rows) }
            let target = generator.nextUnit() * cumulative[rows - 1]
            var lo = 0, hi = rows
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
            }
            return min(lo, lastPositive)
        }
    }
}
