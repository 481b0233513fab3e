import CKernels

/// X as the k-means loops read it: validated, centred on its column means (as scikit-learn
/// centres dense data before clustering, for the accuracy of ‖x‖² − 2x·c), column-major and
/// contiguous, with the sample weights and, when asked for, each row's squared norm
/// (k-means++) and a single-precision copy (Lloyd on AVX2 hosts).
struct KMeansData: Sendable {
    let rows: Int
    let columns: Int
    /// The centred values, column-major, leading dimension ``rows`` (a buffer the parallel
    /// pieces of the copy write into).
    let values: SharedBuffer<Double>
    /// ‖x_i‖² of each centred row (k-means++'s; empty when not asked for).
    let squaredNorms: [Double]
    /// The sample weights; nil when every weight is 1.
    let weights: [Double]?
    /// The column means taken out (added back to the centres at the end).
    let mean: [Double]
    /// ``values`` rounded to single precision (the same layout), when asked for: what the AVX2
    /// kernel's certified distances stream instead of ``values``.
    let single: SharedBuffer<Float>?
    /// Each row's squared norm in single precision, of ``single`` (`scilearn_single_norms`).
    let singleNorms: SharedBuffer<Float>?

    /// Whether a single-precision copy pays on this CPU for `rows` rows: the kernel's AVX2 path
    /// (without AVX-512) measures distances in single precision, and a copy halves the bytes
    /// each Lloyd pass reads (4·n·d bytes more memory).
    static func singleCopyPays(rows n: Int) -> Bool {
        n >= 4096 && scilearn_kernel_level() == 1
    }

    /// Validates and centres `x` (`X`) and `sampleWeight` (`sample_weight`).
    ///
    /// - Throws: `invalidData` naming the field: no rows or no columns, a non-finite value, a
    ///   weight that is negative or non-finite, weights of the wrong count or summing to 0.
    /// `singlePrecision`: also keep ``single``; `norms`: compute ``squaredNorms``.
    init(_ x: Matrix, sampleWeight: [Double]?, singlePrecision: Bool = false, norms: Bool = true) throws(SciLearnError) {
        let n = x.rows, d = x.columns
        guard n >= 1 else { throw .invalidData("X", "has no rows; at least one sample is required") }
        guard d >= 1 else { throw .invalidData("X", "has no columns; at least one feature is required (scikit-learn: Found array with 0 feature(s))") }
        rows = n
        columns = d
        // Column by column on the cores: each column's mean (summed in row order), then the
        // column minus it (and its float rounding); then, when asked for, each row's squared
        // norm, feature by feature, over fixed pieces of rows. The same bits on any thread count. X is checked for finiteness by its
        // column sums (a NaN or ±inf anywhere makes its column's sum non-finite): only then is
        // it scanned again, to name the element (a sum can also overflow with every element finite).
        // (Every element written by its column's piece: no zero-filling pass.)
        let values = SharedBuffer<Double>(uninitializedCount: n * d)
        let single = singlePrecision ? SharedBuffer<Float>(uninitializedCount: n * d) : nil
        let ld = x.leadingDimension
        mean = try Parallel.map(d, work: n * d) { (j: Int) throws(SciLearnError) -> Double in
            x.withUnsafeBufferPointer { src in
                let col = src.baseAddress! + j * ld, out = values.pointer + j * n
                var s = 0.0
                for i in 0..<n { s += col[i] }
                let m = s / Double(n)
                for i in 0..<n { out[i] = col[i] - m }
                if let single {
                    let f = single.pointer + j * n
                    for i in 0..<n { f[i] = Float(out[i]) }
                }
                return m
            }
        }
        if mean.contains(where: { !$0.isFinite }) { _ = try Validation.finiteColumnMaxima(x, name: "X") }
        self.values = values
        self.single = single
        if let single {
            let norms = SharedBuffer<Float>(uninitializedCount: n)
            let pieces = LloydPass.pieces(rows: n, clusters: 1, columns: d)
            _ = try Parallel.map(pieces.count, work: n * d) { (p: Int) throws(SciLearnError) -> Int in
                let r = pieces[p]
                scilearn_single_norms(single.pointer, n, d, r.lowerBound, r.upperBound, norms.pointer + r.lowerBound)
                return 0
            }
            singleNorms = norms
        } else {
            singleNorms = nil
        }
        if let w = sampleWeight {
            guard w.count == n else { throw .invalidData("sample_weight", "must have one weight per row of X (\(n)); got \(w.count)") }
            for (i, v) in w.enumerated() where !(v.isFinite && v >= 0) {
                throw .invalidData("sample_weight[\(i)]", "must be a finite number >= 0; got \(v)")
            }
            guard w.contains(where: { $0 > 0 }) else { throw .invalidData("sample_weight", "must not be all zero") }
            guard w.reduce(0, +).isFinite else { throw .invalidData("sample_weight", "sums beyond the range of a double; rescale the weights") }
        }
        weights = sampleWeight
        guard norms else {
            squaredNorms = []
            return
        }
        let squares = SharedBuffer<Double>(repeating: 0, count: n)
        let pieces = LloydPass.pieces(rows: n, clusters: 1, columns: d)
        _ = try Parallel.map(pieces.count, work: n * d) { (p: Int) throws(SciLearnError) -> Int in
            for j in 0..<d {
                let col = values.pointer + j * n
                for i in pieces[p] { squares.pointer[i] += col[i] * col[i] }
            }
            return 0
        }
        squaredNorms = squares.array
    }

    /// `x` as it is (already validated), not centred, unweighted: for the nearest-centre
    /// assignment of `predict`, which scikit-learn computes on the raw rows.
    init(uncentred x: Matrix) {
        let n = x.rows, d = x.columns, ld = x.leadingDimension
        let values = SharedBuffer<Double>(repeating: 0, count: n * d)
        x.withUnsafeBufferPointer { src in
            for j in 0..<d { (values.pointer + j * n).update(from: src.baseAddress! + j * ld, count: n) }
        }
        rows = n
        columns = d
        self.values = values
        squaredNorms = []
        weights = nil
        mean = [Double](repeating: 0, count: d)
        single = nil
        singleNorms = nil
    }

    /// Rows `indices` of `parent` (repeats allowed), in its coordinates (not centred again):
    /// mini-batches and initialisation subsets. `keepWeights`: the rows' weights, else all 1.
    init(rows indices: [Int], of parent: KMeansData, keepWeights: Bool) {
        let m = indices.count, d = parent.columns, n = parent.rows
        let values = SharedBuffer<Double>(repeating: 0, count: m * d)
        for j in 0..<d {
            let col = parent.values.pointer + j * n, out = values.pointer + j * m
            for (t, i) in indices.enumerated() { out[t] = col[i] }
        }
        rows = m
        columns = d
        self.values = values
        squaredNorms = parent.squaredNorms.isEmpty ? [] : indices.map { parent.squaredNorms[$0] }
        weights = keepWeights ? parent.weights.map { w in indices.map { w[$0] } } : nil
        mean = parent.mean
        single = nil
        singleNorms = nil
    }

    /// The mean over features of each feature's variance (ddof 0): scikit-learn's scale for
    /// `tol`.
    func meanVariance() throws(SciLearnError) -> Double {
        let n = rows
        // One column per piece of work; the columns' variances summed in order.
        let variances = try Parallel.map(columns, work: n * columns) { (j: Int) throws(SciLearnError) -> Double in
            let col = values.pointer + j * n
            var s = 0.0, q = 0.0
            for i in 0..<n {
                let v = col[i]
                s += v
                q += v * v
            }
            let m = s / Double(n)
            return max(0, q / Double(n) - m * m)
        }
        var total = 0.0
        for v in variances { total += v }
        return total / Double(columns)
    }

    /// Centres in these coordinates (k × d, centre-major) moved back to X's: the k × d matrix
    /// a fit returns.
    func uncentred(_ centers: [Double], clusters k: Int) -> Matrix {
        var out = centers
        for c in 0..<k { for j in 0..<columns { out[c * columns + j] += mean[j] } }
        return Matrix(rows: k, columns: columns, rowMajor: out)
    }

    /// The rows nearest to each of `k` centres and how many centres have any, after checking
    /// that the fit's inertia is finite: what every k-means fit reports.
    ///
    /// - Throws: `numericalFailure` naming `X` when the inertia overflowed.
    static func clusterSizes(_ labels: [Int32], clusters k: Int, inertia: Double) throws(SciLearnError) -> (sizes: [Int], distinct: Int) {
        guard inertia.isFinite else {
            throw SciLearnError(.numericalFailure, field: "X", "squared distances between rows overflow the range of a double; rescale X")
        }
        var sizes = [Int](repeating: 0, count: k)
        for l in labels { sizes[Int(l)] += 1 }
        return (sizes, sizes.count { $0 > 0 })
    }

    /// The weight of row `i`.
    @inline(__always) func weight(_ i: Int) -> Double { weights?[i] ?? 1 }
}
