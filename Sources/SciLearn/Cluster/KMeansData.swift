/// X as the k-means loops read it: validated, centred on its column means (as scikit-learn
/// centres dense data before clustering, for the accuracy of ‖x‖² − 2x·c), column-major and
/// contiguous, with each row's squared norm and the sample weights.
struct KMeansData: Sendable {
    let rows: Int
    let columns: Int
    /// The centred values, column-major, leading dimension ``rows``.
    let values: [Double]
    /// ‖x_i‖² of each centred row.
    let squaredNorms: [Double]
    /// The sample weights; nil when every weight is 1.
    let weights: [Double]?
    /// The column means taken out (added back to the centres at the end).
    let mean: [Double]

    /// Validates and centres `x` (`X`) and `sampleWeight` (`sample_weight`).
    ///
    /// - Throws: `invalidData` naming the field: no rows or no columns, a non-finite value, a
    ///   weight that is negative or non-finite, weights of the wrong count or summing to 0.
    init(_ x: Matrix, sampleWeight: [Double]?) throws(SciLearnError) {
        let n = x.rows, d = x.columns
        guard n >= 1 else { throw .invalidData("X", "has no rows; at least one sample is required") }
        guard d >= 1 else { throw .invalidData("X", "has no columns; at least one feature is required (scikit-learn: Found array with 0 feature(s))") }
        _ = try Validation.finiteColumnMaxima(x, name: "X")
        if let w = sampleWeight {
            guard w.count == n else { throw .invalidData("sample_weight", "must have one weight per row of X (\(n)); got \(w.count)") }
            for (i, v) in w.enumerated() where !(v.isFinite && v >= 0) {
                throw .invalidData("sample_weight[\(i)]", "must be a finite number >= 0; got \(v)")
            }
            guard w.contains(where: { $0 > 0 }) else { throw .invalidData("sample_weight", "must not be all zero") }
        }
        rows = n
        columns = d
        weights = sampleWeight
        var values = [Double](repeating: 0, count: n * d)
        var mean = [Double](repeating: 0, count: d)
        let ld = x.leadingDimension
        x.withUnsafeBufferPointer { src in
            for j in 0..<d {
                let col = src.baseAddress! + j * ld
                var s = 0.0
                for i in 0..<n { s += col[i] }
                let m = s / Double(n)
                mean[j] = m
                for i in 0..<n { values[i + j * n] = col[i] - m }
            }
        }
        var norms = [Double](repeating: 0, count: n)
        for j in 0..<d {
            for i in 0..<n {
                let v = values[i + j * n]
                norms[i] += v * v
            }
        }
        self.values = values
        self.mean = mean
        squaredNorms = norms
    }

    /// `x` as it is (already validated), not centred, unweighted: for the nearest-centre
    /// assignment of `predict`, which scikit-learn computes on the raw rows.
    init(uncentred x: Matrix) {
        let n = x.rows, d = x.columns, ld = x.leadingDimension
        var values = [Double](repeating: 0, count: n * d)
        x.withUnsafeBufferPointer { src in
            for j in 0..<d { for i in 0..<n { values[i + j * n] = src[i + j * ld] } }
        }
        rows = n
        columns = d
        self.values = values
        squaredNorms = []
        weights = nil
        mean = [Double](repeating: 0, count: d)
    }

    /// The mean over features of each feature's variance (ddof 0): scikit-learn's scale for
    /// `tol`.
    var meanVariance: Double {
        var total = 0.0
        for j in 0..<columns {
            var s = 0.0, q = 0.0
            for i in 0..<rows {
                let v = values[i + j * rows]
                s += v
                q += v * v
            }
            let m = s / Double(rows)
            total += max(0, q / Double(rows) - m * m)
        }
        return total / Double(columns)
    }

    /// The weight of row `i`.
    @inline(__always) func weight(_ i: Int) -> Double { weights?[i] ?? 1 }
}
