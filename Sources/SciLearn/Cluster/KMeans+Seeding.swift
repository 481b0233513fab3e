import Foundation

extension KMeans {
    /// `clusters` initial centres (k × d) of `x` by scikit-learn's greedy k-means++
    /// (`sklearn.cluster.kmeans_plusplus`), drawn with ``SeededGenerator`` seeded by `seed`:
    /// what ``fit(_:sampleWeight:)`` starts from with `.kMeansPlusPlus`.
    ///
    /// - Throws: as ``fit(_:sampleWeight:)`` for `X`, `sample_weight` and `n_clusters`.
    /// - Complexity: 2·n·d·(1 + (k − 1)·(2 + ⌊ln k⌋)) flops.
    public static func plusPlusCenters(_ x: Matrix, clusters k: Int, seed: UInt64, sampleWeight: [Double]? = nil) throws(SciLearnError) -> Matrix {
        BLASThreading.pinSingleThreaded()
        try Rules.nClusters.check(k)
        let data = try KMeansData(x, sampleWeight: sampleWeight)
        guard k <= data.rows else { throw tooFewRows(data.rows, k) }
        var generator = SeededGenerator(seed: seed)
        var centers = try kMeansPlusPlus(data, clusters: k, generator: &generator)
        let d = data.columns
        for c in 0..<k { for j in 0..<d { centers[c * d + j] += data.mean[j] } }
        return Matrix(rows: k, columns: d, rowMajor: centers)
    }

    /// scikit-learn's greedy k-means++ (`_kmeans_plusplus`): the first centre a row drawn with
    /// probability proportional to its weight; each next one the best of 2 + ⌊ln k⌋ candidates
    /// drawn with probability proportional to weight × squared distance to the nearest centre
    /// so far, best meaning the lowest potential (weighted sum of those distances) once added.
    /// Returns k × d centres, centre-major, in the centred coordinates.
    ///
    /// - Complexity: 2·n·d·(1 + (k − 1)·(2 + ⌊ln k⌋)) flops, in one kernel pass per centre.
    static func kMeansPlusPlus(_ data: KMeansData, clusters k: Int, generator: inout SeededGenerator) throws(SciLearnError) -> [Double] {
        let n = data.rows, d = data.columns
        let trials = 2 + Int(log(Double(k)))
        var centers = [Double](repeating: 0, count: k * d)
        var cumulative = [Double](repeating: 0, count: n)
        var running = 0.0
        for i in 0..<n {
            running += data.weight(i)
            cumulative[i] = running
        }
        let first = Self.firstAbove(cumulative, generator.nextUnit() * running)
        Self.copyRow(first, of: data, into: &centers, at: 0)
        let distances = SharedBuffer<Double>(repeating: 0, count: trials * n)
        try Self.squaredDistances(data, to: Array(centers[0..<d]), count: 1, into: distances)
        var closest = Array(UnsafeBufferPointer(start: distances.pointer, count: n))
        var potential = 0.0
        for i in 0..<n { potential += data.weight(i) * closest[i] }
        for c in 1..<k {
            try CancellationToken.check()
            running = 0
            for i in 0..<n {
                running += data.weight(i) * closest[i]
                cumulative[i] = running
            }
            var candidates: [Int] = []
            for _ in 0..<trials {
                let target = generator.nextUnit() * potential
                candidates.append(min(Self.firstAtLeast(cumulative, target), n - 1))
            }
            var points = [Double](repeating: 0, count: trials * d)
            for (t, row) in candidates.enumerated() { Self.copyRow(row, of: data, into: &points, at: t) }
            try Self.squaredDistances(data, to: points, count: trials, into: distances)
            var bestTrial = 0, bestPotential = Double.infinity
            closest.withUnsafeBufferPointer { near in
                for t in 0..<trials {
                    let dist = distances.pointer + t * n
                    var pot = 0.0
                    if let w = data.weights {
                        for i in 0..<n { pot += w[i] * Swift.min(near[i], dist[i]) }
                    } else {
                        for i in 0..<n { pot += Swift.min(near[i], dist[i]) }
                    }
                    if pot < bestPotential {
                        bestPotential = pot
                        bestTrial = t
                    }
                }
            }
            let chosen = distances.pointer + bestTrial * n
            closest.withUnsafeMutableBufferPointer { near in
                for i in 0..<n { near[i] = Swift.min(near[i], chosen[i]) }
            }
            potential = bestPotential
            Self.copyRow(candidates[bestTrial], of: data, into: &centers, at: c)
        }
        return centers
    }

    /// k distinct rows, each drawn with probability proportional to its weight among those not
    /// yet drawn (scikit-learn's `init="random"`). O(k·n).
    static func randomRows(_ data: KMeansData, clusters k: Int, generator: inout SeededGenerator) -> [Double] {
        let n = data.rows, d = data.columns
        var remaining = (0..<n).map { data.weight($0) }
        var centers = [Double](repeating: 0, count: k * d)
        for c in 0..<k {
            var total = 0.0
            for v in remaining { total += v }
            let target = generator.nextUnit() * total
            var running = 0.0, chosen = -1
            for i in 0..<n where remaining[i] > 0 {
                chosen = i
                running += remaining[i]
                if running > target { break }
            }
            remaining[chosen] = 0
            Self.copyRow(chosen, of: data, into: &centers, at: c)
        }
        return centers
    }

    /// The squared distances of every row to each of `m` points (m × d), written to `out`
    /// (entry `c * n + i`), as ‖x‖² + ‖c‖² − 2x·c clipped at 0 (scikit-learn's
    /// `_euclidean_distances`).
    static func squaredDistances(_ data: KMeansData, to points: [Double], count m: Int, into out: SharedBuffer<Double>) throws(SciLearnError) {
        try LloydPass.reducedDistances(data, to: points, count: m, into: out)
        let n = data.rows
        data.squaredNorms.withUnsafeBufferPointer { norms in
            for c in 0..<m {
                let row = out.pointer + c * n
                for i in 0..<n { row[i] = Swift.max(0, row[i] + norms[i]) }
            }
        }
    }

    /// The first index whose cumulative value exceeds `target` (NumPy's `searchsorted(side="right")`).
    static func firstAbove(_ cumulative: [Double], _ target: Double) -> Int {
        var lo = 0, hi = cumulative.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return min(lo, cumulative.count - 1)
    }

    /// The first index whose cumulative value is at least `target` (`searchsorted(side="left")`).
    static func firstAtLeast(_ cumulative: [Double], _ target: Double) -> Int {
        var lo = 0, hi = cumulative.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] >= target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    static func copyRow(_ row: Int, of data: KMeansData, into out: inout [Double], at slot: Int) {
        for j in 0..<data.columns { out[slot * data.columns + j] = data.values[row + j * data.rows] }
    }
}
