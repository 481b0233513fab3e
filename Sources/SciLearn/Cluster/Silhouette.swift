/// The silhouette coefficient of a clustering: for each row, (b − a) / max(a, b), where a is its
/// mean Euclidean distance to the other rows of its cluster and b the lowest mean distance to
/// the rows of another cluster; 0 for a row alone in its cluster. The score is the mean.
///
/// Matches scikit-learn `silhouette_score(X, labels, metric="euclidean", sample_size=m)` on the
/// same rows: with `sampleSize` nil (or at least n) on every row; otherwise on `sampleSize`
/// distinct rows drawn by ``SeededGenerator`` from `seed` (scikit-learn draws with NumPy's, so
/// sampled scores agree in expectation, not digit for digit).
///
/// - Complexity: m²·d flops and m·k memory for m scored rows (all n unsampled).
public enum Silhouette {
    /// The mean silhouette coefficient of `labels` (one per row of `x`, any integers).
    ///
    /// - Throws: `invalidData` naming `labels` (wrong count, fewer than 2 or more than m − 1
    ///   distinct labels among the scored rows, as scikit-learn requires) or `X` (non-finite),
    ///   `invalidParameter` naming `sample_size` (< 2), `cancelled`.
    public static func score(_ x: Matrix, labels: [Int], sampleSize: Int? = nil, seed: UInt64 = 0) throws(SciLearnError) -> Double {
        let n = x.rows, d = x.columns
        guard labels.count == n else { throw .invalidData("labels", "must have one label per row of X (\(n)); got \(labels.count)") }
        _ = try Validation.finiteColumnMaxima(x, name: "X")
        if let m = sampleSize, m < 2 { throw .invalidParameter("sample_size", "must be an integer >= 2; got \(m)") }
        var rows = Array(0..<n)
        if let m = sampleSize, m < n {
            // A partial Fisher–Yates shuffle: the first m are a uniform sample without replacement.
            var g = SeededGenerator(seed: seed)
            for i in 0..<m {
                let j = i + Int(g.next() % UInt64(n - i))
                rows.swapAt(i, j)
            }
            rows = Array(rows.prefix(m))
        }
        let m = rows.count
        var clusterIndex: [Int: Int] = [:]
        let cluster = rows.map { r -> Int in
            if let c = clusterIndex[labels[r]] { return c }
            let c = clusterIndex.count
            clusterIndex[labels[r]] = c
            return c
        }
        let k = clusterIndex.count
        guard k >= 2 && k <= m - 1 else {
            throw .invalidData("labels", "has \(k) distinct label\(k == 1 ? "" : "s") among the \(m) scored rows; the silhouette needs 2 to \(m - 1) (as scikit-learn)")
        }
        var counts = [Int](repeating: 0, count: k)
        for c in cluster { counts[c] += 1 }
        let sizes = counts
        // The scored rows, row-major and contiguous.
        var rowMajor = [Double](repeating: 0, count: m * d)
        for (i, r) in rows.enumerated() { for f in 0..<d { rowMajor[i * d + f] = x[r, f] } }
        let packed = rowMajor
        // Each scored row's summed distance to every cluster, in row blocks across cores.
        let blocks = stride(from: 0, to: m, by: 256).map { $0..<min(m, $0 + 256) }
        let values = try Parallel.map(blocks.count, work: m * m * d) { (b: Int) throws(SciLearnError) -> [Double] in
            var out: [Double] = []
            var sums = [Double](repeating: 0, count: k)
            for i in blocks[b] {
                for c in 0..<k { sums[c] = 0 }
                packed.withUnsafeBufferPointer { p in
                    let xi = p.baseAddress! + i * d
                    for j in 0..<m where j != i {
                        let xj = p.baseAddress! + j * d
                        var s = 0.0
                        for f in 0..<d {
                            let t = xi[f] - xj[f]
                            s += t * t
                        }
                        sums[cluster[j]] += s.squareRoot()
                    }
                }
                let own = cluster[i]
                guard sizes[own] > 1 else {
                    out.append(0)
                    continue
                }
                let a = sums[own] / Double(sizes[own] - 1)
                var b = Double.infinity
                for c in 0..<k where c != own { b = Swift.min(b, sums[c] / Double(sizes[c])) }
                out.append((b - a) / Swift.max(a, b))
            }
            return out
        }
        var total = 0.0
        for block in values { for v in block { total += v } }
        return total / Double(m)
    }
}
