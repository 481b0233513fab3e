extension KMeans {
    /// One run's outcome, in the centred coordinates.
    struct Run {
        var centers: [Double]
        var labels: [Int32]
        var inertia: Double
        var iterations: Int
        /// Whether it stopped on tol or strict convergence, not on `max_iter`.
        var converged: Bool
        /// The passes that moved the changed rows between the running sums instead of summing
        /// every row (``CentreSums``): for tests.
        var movingPasses = 0
    }

    /// Lloyd's iterations from `start` (k × d, centre-major, centred), as scikit-learn's
    /// `_kmeans_single_lloyd`: assign and sum in one pass (or, once few labels change, move
    /// the changed rows between the running sums: ``CentreSums``), re-seed empty clusters, average;
    /// stop when the labels did not change (strict convergence) or the summed squared shift of
    /// the centres is at most `tolerance`; then, unless strictly converged, assign once more to
    /// the final centres. Cancellation is checked each iteration (and in each pass's pieces).
    func lloyd(_ data: KMeansData, centers start: [Double], tolerance: Double) throws(SciLearnError) -> Run {
        let k = nClusters, d = data.columns
        let workspace = LloydPass.Workspace(rows: data.rows)
        var centers = start
        var strict = false, converged = false
        var iterations = 0
        var running: CentreSums? = nil
        var lastChanged = data.rows, movingPasses = 0
        for i in 0..<maxIter {
            try CancellationToken.check()
            let moving = running?.movingPays(changed: lastChanged, rows: data.rows, weighted: data.weights != nil) == true
            let pass = try LloydPass(data, centers: centers, clusters: k, sums: moving ? .moves : .full, countChanges: i > 0, workspace: workspace)
            if moving { running!.move(pass.pieces) } else { running = CentreSums(full: pass.pieces) }
            if moving { movingPasses += 1 }
            lastChanged = pass.changed
            var (sums, weights) = running!.rounded
            if Self.reseedEmptyClusters(sums: &sums, weights: &weights, data: data, centers: centers, clusters: k, labels: workspace.labels) {
                running!.followsLabels = false
            }
            let next = Self.averaged(sums, weights: weights, clusters: k, columns: d)
            var shift = 0.0
            for e in 0..<(k * d) {
                let t = next[e] - centers[e]
                shift += t * t
            }
            centers = next
            iterations = i + 1
            if i > 0 && pass.changed == 0 {
                strict = true
                converged = true
                break
            }
            if shift <= tolerance {
                converged = true
                break
            }
            workspace.keepLabels()
        }
        if !strict {
            _ = try LloydPass(data, centers: centers, clusters: k, sums: .none, countChanges: false, workspace: workspace)
        }
        let labels = workspace.labels.array
        let inertia = try Self.inertia(data, centers: centers, labels: labels, clusters: k)
        return Run(centers: centers, labels: labels, inertia: inertia, iterations: iterations, converged: converged, movingPasses: movingPasses)
    }

    /// scikit-learn's `_relocate_empty_clusters_dense`: each cluster left with no weight takes
    /// the row farthest from its current centre (farthest first; ties to the lower row), which
    /// leaves its old cluster's sums. The rows' labels are not changed until the next pass.
    /// Returns whether any cluster was empty.
    @discardableResult
    static func reseedEmptyClusters(sums: inout [Double], weights: inout [Double], data: KMeansData, centers: [Double], clusters k: Int,
                                    labels: SharedBuffer<Int32>) -> Bool {
        let empty = (0..<k).filter { weights[$0] == 0 }
        guard !empty.isEmpty else { return false }
        let n = data.rows, d = data.columns
        var distance = [Double](repeating: 0, count: n)
        for j in 0..<d {
            for i in 0..<n {
                let t = data.values[i + j * n] - centers[Int(labels.pointer[i]) * d + j]
                distance[i] += t * t
            }
        }
        let far = Array((0..<n).sorted { distance[$0] > distance[$1] || (distance[$0] == distance[$1] && $0 < $1) }.prefix(empty.count))
        for (row, cluster) in zip(far, empty) {
            let w = data.weight(row), old = Int(labels.pointer[row])
            for j in 0..<d {
                let v = data.values[row + j * n] * w
                sums[old * d + j] -= v
                sums[cluster * d + j] = v
            }
            weights[cluster] = w
            weights[old] -= w
        }
        return true
    }

    /// Σᵢ wᵢ‖xᵢ − c_{l(i)}‖², each row's squared distance computed directly (not from the
    /// expanded form), summed over fixed pieces in order.
    static func inertia(_ data: KMeansData, centers: [Double], labels: [Int32], clusters k: Int) throws(SciLearnError) -> Double {
        let n = data.rows, d = data.columns
        let pieces = LloydPass.pieces(rows: n, clusters: k, columns: d)
        let partials = try Parallel.map(pieces.count, work: n * d) { (p: Int) throws(SciLearnError) -> Double in
            let range = pieces[p]
            var rowSquares = [Double](repeating: 0, count: range.count)
            for j in 0..<d {
                for i in range {
                    let t = data.values[i + j * n] - centers[Int(labels[i]) * d + j]
                    rowSquares[i - range.lowerBound] += t * t
                }
            }
            var s = 0.0
            for i in range { s += data.weight(i) * rowSquares[i - range.lowerBound] }
            return s
        }
        return partials.reduce(0, +)
    }
}
