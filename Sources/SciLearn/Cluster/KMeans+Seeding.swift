import CKernels
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
        return data.uncentred(try kMeansPlusPlus(data, clusters: k, generator: &generator), clusters: k)
    }

    /// scikit-learn's greedy k-means++ (`_kmeans_plusplus`): the first centre a row drawn with
    /// probability proportional to its weight; each next one the best of 2 + ⌊ln k⌋ candidates
    /// drawn with probability proportional to weight × squared distance to the nearest centre
    /// so far, best meaning the lowest potential (weighted sum of those distances) once added.
    /// Returns k × d centres, centre-major, in the centred coordinates.
    ///
    /// Each centre costs one parallel pass over X (the candidates' distances and, per fixed
    /// piece of rows, each candidate's partial potential) and one over the nearest distances;
    /// sums are taken piece by piece and combined in piece order, so the draws are the same
    /// with any thread count. A candidate is drawn by walking the pieces' totals, then the rows
    /// of one piece (NumPy's `searchsorted` on the cumulative sums, without storing them).
    ///
    /// - Complexity: 2·n·d·(1 + (k − 1)·(2 + ⌊ln k⌋)) flops, in one kernel pass per centre.
    static func kMeansPlusPlus(_ data: KMeansData, clusters k: Int, generator: inout SeededGenerator) throws(SciLearnError) -> [Double] {
        let n = data.rows, d = data.columns
        precondition(data.squaredNorms.count == n, "k-means++ needs the rows' squared norms (KMeansData(norms: true))")
        let trials = 2 + Int(log(Double(k)))
        var centers = [Double](repeating: 0, count: k * d)
        var total = 0.0
        for i in 0..<n { total += data.weight(i) }
        let target = generator.nextUnit() * total
        var first = n - 1, running = 0.0
        for i in 0..<n {
            running += data.weight(i)
            if running > target { first = i; break }
        }
        Self.copyRow(first, of: data, into: &centers, at: 0)
        let pieces = LloydPass.pieces(rows: n, clusters: trials, columns: d)
        let closest = SharedBuffer<Double>(repeating: .infinity, count: n)
        // (Every entry a pass reads is written by that pass first.)
        let distances = SharedBuffer<Double>(uninitializedCount: trials * n)
        var pieceTotals = try Self.candidatePotentials(data, points: Array(centers[0..<d]), count: 1, pieces: pieces, closest: closest, into: distances).map { $0[0] }
        try Self.keepNearest(data, candidate: 0, pieces: pieces, closest: closest, distances: distances)
        var potential = pieceTotals.reduce(0, +)
        for c in 1..<k {
            try CancellationToken.check()
            var candidates: [Int] = []
            for _ in 0..<trials {
                let target = generator.nextUnit() * potential
                candidates.append(Self.firstReaching(target, pieces: pieces, totals: pieceTotals, data: data, closest: closest))
            }
            var points = [Double](repeating: 0, count: trials * d)
            for (t, row) in candidates.enumerated() { Self.copyRow(row, of: data, into: &points, at: t) }
            let partials = try Self.candidatePotentials(data, points: points, count: trials, pieces: pieces, closest: closest, into: distances)
            var bestTrial = 0, bestPotential = Double.infinity
            for t in 0..<trials {
                var pot = 0.0
                for p in partials { pot += p[t] }
                if pot < bestPotential {
                    bestPotential = pot
                    bestTrial = t
                }
            }
            try Self.keepNearest(data, candidate: bestTrial, pieces: pieces, closest: closest, distances: distances)
            pieceTotals = partials.map { $0[bestTrial] }
            potential = bestPotential
            Self.copyRow(candidates[bestTrial], of: data, into: &centers, at: c)
        }
        return centers
    }

    /// For each piece of rows, each of the `m` points' partial potential Σ wᵢ·min(closestᵢ, dᵢ)
    /// over the piece, dᵢ the squared distance of row i to the point, written to `out`
    /// (entry `c * n + i`) as ‖x‖² + ‖c‖² − 2x·c clipped at 0 (scikit-learn's
    /// `_euclidean_distances`). One parallel pass over X (`scilearn_candidate_potentials`).
    static func candidatePotentials(_ data: KMeansData, points: [Double], count m: Int, pieces: [Range<Int>], closest: SharedBuffer<Double>,
                                    into out: SharedBuffer<Double>) throws(SciLearnError) -> [[Double]] {
        let n = data.rows, d = data.columns
        let (ct, cc) = LloydPass.featureMajor(points, count: m, columns: d)
        return try Parallel.map(pieces.count, work: n * m * d) { (p: Int) throws(SciLearnError) -> [Double] in
            let range = pieces[p]
            var partial = [Double](repeating: 0, count: m)
            data.values.withUnsafeBufferPointer { x in
                data.squaredNorms.withUnsafeBufferPointer { norms in
                    LloydPass.weightPointer(data.weights) { w in
                        scilearn_candidate_potentials(x.baseAddress, n, d, range.lowerBound, range.upperBound, ct, cc, m, w,
                                                      norms.baseAddress, closest.pointer, out.pointer + range.lowerBound, n, &partial)
                    }
                }
            }
            return partial
        }
    }

    /// closestᵢ = min(closestᵢ, distance of row i to candidate `t`), in parallel pieces.
    static func keepNearest(_ data: KMeansData, candidate t: Int, pieces: [Range<Int>], closest: SharedBuffer<Double>,
                            distances: SharedBuffer<Double>) throws(SciLearnError) {
        let n = data.rows
        _ = try Parallel.map(pieces.count, work: n) { (p: Int) throws(SciLearnError) -> Int in
            let chosen = distances.pointer + t * n
            for i in pieces[p] { closest.pointer[i] = Swift.min(closest.pointer[i], chosen[i]) }
            return 0
        }
    }

    /// The first row whose cumulative weighted distance (Σ_{j ≤ i} wⱼ·closestⱼ, summed piece by
    /// piece) reaches `target` (NumPy's `searchsorted(side="left")`); when rounding leaves the
    /// sums short of it, the last row of positive weight × distance walked.
    static func firstReaching(_ target: Double, pieces: [Range<Int>], totals: [Double], data: KMeansData, closest: SharedBuffer<Double>) -> Int {
        var offset = 0.0
        var p = 0
        while p < pieces.count - 1 && offset + totals[p] < target {
            offset += totals[p]
            p += 1
        }
        var running = offset
        var lastPositive = data.rows - 1
        for i in pieces[p].lowerBound..<data.rows {
            let v = data.weight(i) * closest.pointer[i]
            running += v
            if running >= target { return i }
            if v > 0 { lastPositive = i }
        }
        // Rounding left the walk a few ulps short of a draw near the total: the last row that
        // can be drawn (not a row of weight or distance 0).
        return lastPositive
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

    static func copyRow(_ row: Int, of data: KMeansData, into out: inout [Double], at slot: Int) {
        for j in 0..<data.columns { out[slot * data.columns + j] = data.values[row + j * data.rows] }
    }
}
