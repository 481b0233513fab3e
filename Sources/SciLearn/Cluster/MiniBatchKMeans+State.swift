extension MiniBatchKMeans {
    /// The centres, the per-centre counts and the stopping rule's memory between steps: what
    /// scikit-learn keeps in `_counts`, `_ewa_inertia`, `_ewa_inertia_min`, `_no_improvement`
    /// and `_n_since_last_reassign`.
    struct State {
        /// k × d, centre-major, in the centred coordinates.
        var centers: [Double]
        /// Rows each centre has been given so far (scikit-learn's weight sums; unit weights).
        var counts: [Double]
        let k: Int
        let d: Int
        var smoothedInertia: Double? = nil
        var lowestSmoothedInertia: Double? = nil
        var stepsWithoutImprovement = 0
        var rowsSinceReassignment = 0

        init(centers: [Double], clusters k: Int, columns d: Int) {
            self.centers = centers
            counts = [Double](repeating: 0, count: k)
            self.k = k
            self.d = d
        }

        /// scikit-learn's `_random_reassign`: reassign on this step when some centre has no
        /// rows yet or 10·k rows have been seen since the last time (counting this batch).
        mutating func dueForReassignment(batch: Int) -> Bool {
            rowsSinceReassignment += batch
            if counts.contains(0) || rowsSinceReassignment >= 10 * k {
                rowsSinceReassignment = 0
                return true
            }
            return false
        }

        /// One step on `batch` (unit weights): labels by the current centres (one `LloydPass`,
        /// which also sums each centre's rows), each visited centre moved to
        /// (W·c + Σx) / (W + m), then the low-count reassignment when `reassign`. Returns the
        /// batch's inertia against the centres before the step and, when `measureShift`, the
        /// summed squared move of the centres (reassignments included), else 0.
        mutating func step(_ batch: KMeansData, reassign: Bool, ratio: Double, measureShift: Bool, workspace: LloydPass.Workspace,
                           generator: inout SeededGenerator) throws(SciLearnError) -> (inertia: Double, shift: Double) {
            let pass = try LloydPass(batch, centers: centers, clusters: k, sums: .full, countChanges: false, workspace: workspace)
            let totals = CentreSums(full: pass.pieces)
            let inertia = try KMeans.inertia(batch, centers: centers, labels: workspace.labels.array, clusters: k)
            var next = centers
            for c in 0..<k where totals.weights[c] > 0 {
                let total = counts[c] + totals.weights[c]
                let scale = 1 / total
                for j in 0..<d { next[c * d + j] = (centers[c * d + j] * counts[c] + totals.sums[c * d + j]) * scale }
                counts[c] = total
            }
            if reassign { reassignLowCounts(&next, batch: batch, ratio: ratio, generator: &generator) }
            var shift = 0.0
            if measureShift {
                for e in 0..<(k * d) {
                    let t = next[e] - centers[e]
                    shift += t * t
                }
            }
            centers = next
            return (inertia, shift)
        }

        /// scikit-learn's reassignment in `_mini_batch_step`: the centres whose count is below
        /// `ratio` × the largest (at most half the batch: those of lowest count, ties to the
        /// lower centre) move to distinct rows of the batch drawn at random, and their counts
        /// become the lowest of the others' (of all, when every centre moved).
        mutating func reassignLowCounts(_ next: inout [Double], batch: KMeansData, ratio: Double, generator: inout SeededGenerator) {
            let largest = counts.max() ?? 0
            var moved = (0..<k).filter { counts[$0] < ratio * largest }
            let cap = batch.rows / 2
            if moved.count > cap {
                let order = (0..<k).sorted { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
                let kept = Set(order.prefix(cap))
                moved = moved.filter { kept.contains($0) }
            }
            guard !moved.isEmpty else { return }
            // A partial Fisher-Yates shuffle of the batch positions: moved.count distinct rows.
            var positions = Array(0..<batch.rows)
            for t in 0..<moved.count {
                let s = t + generator.nextIndex(below: batch.rows - t)
                positions.swapAt(t, s)
            }
            let n = batch.rows
            for (t, c) in moved.enumerated() {
                for j in 0..<d { next[c * d + j] = batch.values[positions[t] + j * n] }
            }
            let movedSet = Set(moved)
            let others = (0..<k).filter { !movedSet.contains($0) }.map { counts[$0] }
            let floor = others.min() ?? counts.min() ?? 0
            for c in moved { counts[c] = floor }
        }

        /// scikit-learn's `_mini_batch_convergence` after step `i` (0-based): nothing on the
        /// first step; then the smoothed batch inertia (per row) updated with weight `alpha`,
        /// the `tol` stop on `shift`, then the no-improvement count. Returns why to stop, if so.
        mutating func converged(step i: Int, batchInertia: Double, shift: Double, tolerance: Double, alpha: Double,
                                maxNoImprovement: Int?) -> Model.Stop? {
            if i == 0 { return nil }
            let smoothed = smoothedInertia.map { $0 * (1 - alpha) + batchInertia * alpha } ?? batchInertia
            smoothedInertia = smoothed
            if tolerance > 0 && shift <= tolerance { return .tol }
            if let lowest = lowestSmoothedInertia, smoothed >= lowest {
                stepsWithoutImprovement += 1
            } else {
                stepsWithoutImprovement = 0
                lowestSmoothedInertia = smoothed
            }
            if let m = maxNoImprovement, stepsWithoutImprovement >= m { return .noImprovement }
            return nil
        }
    }
}
