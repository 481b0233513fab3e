import Foundation

extension KMeans {
    /// Elkan's k-means (2003), as scikit-learn's `_kmeans_single_elkan`: the same iterations as
    /// ``lloyd(_:centers:tolerance:)`` (the same centres, labels and stopping rules), but each
    /// row keeps an upper bound on the distance to its centre and a lower bound on the distance
    /// to every other, so that by the triangle inequality most distances are never computed
    /// (none for a row whose centre's nearest other centre is at least twice the upper bound
    /// away). Distances are computed directly, √Σ(x − c)², as scikit-learn's Elkan does.
    ///
    /// Rows are split into the fixed pieces of `LloydPass` and their sums combined in piece
    /// order, so the result is the same bits with any thread count; the sums are carried from
    /// pass to pass by the rule Lloyd's use (``CentreSums``), so Elkan's centres are Lloyd's bits.
    ///
    /// - Complexity: O(n·k·d) for the first assignment, then per iteration O(n·k) bound updates
    ///   plus 2·d flops for each distance the bounds cannot rule out (far fewer than n·k once
    ///   the centres settle); memory n·k doubles of lower bounds.
    func elkan(_ data: KMeansData, centers start: [Double], tolerance: Double) throws(SciLearnError) -> Run {
        let n = data.rows, d = data.columns, k = nClusters
        let state = ElkanBounds(rows: n, clusters: k)
        let pieces = LloydPass.pieces(rows: n, clusters: k, columns: d)
        var centers = start
        var geometry = CentreGeometry(centers, clusters: k, columns: d)
        _ = try Parallel.map(pieces.count, work: n * k * d) { [centers, geometry] (p: Int) throws(SciLearnError) -> Int in
            state.initialise(data, rows: pieces[p], centers: centers, geometry: geometry)
            return 0
        }
        let previous = SharedBuffer<Int32>(repeating: -1, count: n)
        var strict = false, converged = false
        var iterations = 0
        var running: CentreSums? = nil
        var lastChanged = n, movingPasses = 0
        for i in 0..<maxIter {
            try CancellationToken.check()
            let moving = running?.movingPays(changed: lastChanged, rows: n, weighted: data.weights != nil) == true
            let partials = try Parallel.map(pieces.count, work: n * k) { [centers, geometry] (p: Int) throws(SciLearnError) -> CentreSums.Piece in
                let range = pieces[p]
                let (sums, weights) = state.assign(data, rows: range, centers: centers, geometry: geometry, accumulate: !moving)
                if moving {
                    return CentreSums.moves(data, rows: range, clusters: k, labels: state.labels.pointer + range.lowerBound,
                                            previous: previous.pointer + range.lowerBound)
                }
                return CentreSums.Piece(sums: sums, lo: [], weights: weights, moved: 0)
            }
            if moving { running!.move(partials) } else { running = CentreSums(full: partials) }
            if moving { movingPasses += 1 }
            var (sums, weights) = running!.rounded
            if Self.reseedEmptyClusters(sums: &sums, weights: &weights, data: data, centers: centers, clusters: k, labels: state.labels) {
                running!.followsLabels = false
            }
            let next = Self.averaged(sums, weights: weights, clusters: k, columns: d)
            var shift = [Double](repeating: 0, count: k)
            var total = 0.0
            for c in 0..<k {
                var s = 0.0
                for j in 0..<d {
                    let t = next[c * d + j] - centers[c * d + j]
                    s += t * t
                }
                shift[c] = s.squareRoot()
                total += shift[c] * shift[c]
            }
            _ = try Parallel.map(pieces.count, work: n * k) { [shift] (p: Int) throws(SciLearnError) -> Int in
                state.moveBounds(rows: pieces[p], shift: shift)
                return 0
            }
            centers = next
            geometry = CentreGeometry(centers, clusters: k, columns: d)
            iterations = i + 1
            var changed = 0
            if moving {
                changed = partials.reduce(0) { $0 + $1.moved }
            } else {
                for r in 0..<n where state.labels.pointer[r] != previous.pointer[r] { changed += 1 }
            }
            lastChanged = changed
            if changed == 0 {
                strict = true
                converged = true
                break
            }
            if total <= tolerance {
                converged = true
                break
            }
            previous.pointer.update(from: state.labels.pointer, count: n)
        }
        if !strict {
            _ = try Parallel.map(pieces.count, work: n * k) { [centers, geometry] (p: Int) throws(SciLearnError) -> (sums: [Double], weights: [Double]) in
                state.assign(data, rows: pieces[p], centers: centers, geometry: geometry, accumulate: false)
            }
        }
        let labels = state.labels.array
        let inertia = try Self.inertia(data, centers: centers, labels: labels, clusters: k)
        return Run(centers: centers, labels: labels, inertia: inertia, iterations: iterations, converged: converged, movingPasses: movingPasses)
    }

    /// Each centre's sums divided by its weight: the next centres of Lloyd's and Elkan's
    /// iterations (scikit-learn's `_average_centers`; after the re-seeding no centre has weight
    /// 0, and one that had would keep its sums).
    static func averaged(_ sums: [Double], weights: [Double], clusters k: Int, columns d: Int) -> [Double] {
        var next = sums
        for c in 0..<k where weights[c] > 0 {
            let scale = 1 / weights[c]
            for j in 0..<d { next[c * d + j] *= scale }
        }
        return next
    }

    /// Half the distance between every two centres and, for each centre, the smallest such half
    /// distance to another (infinite when k = 1): Elkan's pruning radii.
    struct CentreGeometry: Sendable {
        let half: [Double]
        let nearestOther: [Double]

        init(_ centers: [Double], clusters k: Int, columns d: Int) {
            var half = [Double](repeating: 0, count: k * k)
            var nearest = [Double](repeating: .infinity, count: k)
            for a in 0..<k {
                for b in (a + 1)..<k {
                    var s = 0.0
                    for j in 0..<d {
                        let t = centers[a * d + j] - centers[b * d + j]
                        s += t * t
                    }
                    let h = s.squareRoot() / 2
                    half[a * k + b] = h
                    half[b * k + a] = h
                    nearest[a] = min(nearest[a], h)
                    nearest[b] = min(nearest[b], h)
                }
            }
            self.half = half
            nearestOther = nearest
        }
    }

    /// The per-row state of Elkan's iterations: labels, the upper bound on each row's distance
    /// to its centre and the lower bounds (n × k, row-major) on its distance to every centre.
    /// Pieces of rows are updated in parallel, each row by one thread.
    final class ElkanBounds: Sendable {
        let labels: SharedBuffer<Int32>
        let upper: SharedBuffer<Double>
        let lower: SharedBuffer<Double>
        let k: Int

        init(rows n: Int, clusters k: Int) {
            labels = SharedBuffer(repeating: -1, count: n)
            upper = SharedBuffer(repeating: 0, count: n)
            lower = SharedBuffer(repeating: 0, count: n * k)
            self.k = k
        }

        /// ‖x_i − c‖, directly.
        @inline(__always) static func distance(_ x: UnsafePointer<Double>, rows n: Int, row i: Int, centers: UnsafePointer<Double>, center c: Int, columns d: Int) -> Double {
            var s = 0.0
            for j in 0..<d {
                let t = x[i + j * n] - centers[c * d + j]
                s += t * t
            }
            return s.squareRoot()
        }

        /// scikit-learn's `init_bounds_dense`: each row's nearest centre, scanning the centres
        /// in order and skipping those the half distances rule out; the distances computed are
        /// the first lower bounds (the others stay 0).
        func initialise(_ data: KMeansData, rows range: Range<Int>, centers: [Double], geometry: CentreGeometry) {
            let n = data.rows, d = data.columns
            data.values.withUnsafeBufferPointer { xb in
                centers.withUnsafeBufferPointer { cb in
                    let x = xb.baseAddress!, c = cb.baseAddress!
                    for i in range {
                        var label = 0
                        var best = Self.distance(x, rows: n, row: i, centers: c, center: 0, columns: d)
                        lower.pointer[i * k] = best
                        for j in 1..<k where best > geometry.half[label * k + j] {
                            let dist = Self.distance(x, rows: n, row: i, centers: c, center: j, columns: d)
                            lower.pointer[i * k + j] = dist
                            if dist < best {
                                best = dist
                                label = j
                            }
                        }
                        labels.pointer[i] = Int32(label)
                        upper.pointer[i] = best
                    }
                }
            }
        }

        /// One assignment of rows `range` (scikit-learn's `_update_chunk_dense`): a row whose
        /// upper bound is within its centre's nearest-other radius keeps its label; otherwise
        /// each centre its bounds cannot rule out is measured (the upper bound made exact
        /// first). With `accumulate`, the rows' (weighted) sums and weights per centre, in row
        /// order.
        func assign(_ data: KMeansData, rows range: Range<Int>, centers: [Double], geometry: CentreGeometry, accumulate: Bool) -> (sums: [Double], weights: [Double]) {
            let n = data.rows, d = data.columns
            var sums = [Double](repeating: 0, count: accumulate ? k * d : 0)
            var weights = [Double](repeating: 0, count: accumulate ? k : 0)
            data.values.withUnsafeBufferPointer { xb in
                centers.withUnsafeBufferPointer { cb in
                    let x = xb.baseAddress!, c = cb.baseAddress!
                    let low = lower.pointer
                    for i in range {
                        var label = Int(labels.pointer[i])
                        var bound = upper.pointer[i]
                        if !(geometry.nearestOther[label] >= bound) {
                            var tight = false
                            for j in 0..<k where j != label && bound > low[i * k + j] && bound > geometry.half[label * k + j] {
                                if !tight {
                                    bound = Self.distance(x, rows: n, row: i, centers: c, center: label, columns: d)
                                    low[i * k + label] = bound
                                    tight = true
                                    guard bound > low[i * k + j] && bound > geometry.half[label * k + j] else { continue }
                                }
                                let dist = Self.distance(x, rows: n, row: i, centers: c, center: j, columns: d)
                                low[i * k + j] = dist
                                if dist < bound {
                                    bound = dist
                                    label = j
                                }
                            }
                            labels.pointer[i] = Int32(label)
                            upper.pointer[i] = bound
                        }
                        if accumulate {
                            if let w = data.weights {
                                let wi = w[i]
                                for j in 0..<d { let t = wi * x[i + j * n]; sums[label * d + j] += t }
                                weights[label] += wi
                            } else {
                                for j in 0..<d { sums[label * d + j] += x[i + j * n] }
                                weights[label] += 1
                            }
                        }
                    }
                }
            }
            return (sums, weights)
        }

        /// After the centres move by `shift` (each centre's distance moved): upper bounds grow
        /// by their centre's move, lower bounds shrink by each centre's, floored at 0.
        func moveBounds(rows range: Range<Int>, shift: [Double]) {
            for i in range {
                upper.pointer[i] += shift[Int(labels.pointer[i])]
                for j in 0..<k {
                    let v = lower.pointer[i * k + j] - shift[j]
                    lower.pointer[i * k + j] = v < 0 ? 0 : v
                }
            }
        }
    }
}
