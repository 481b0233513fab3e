/// Input checks shared by every estimator, each naming the offending element by its wire name.
enum Validation {
    /// Checks that every element of `x` is finite and returns each column's largest magnitude:
    /// one pass over the raw column-major buffer, columns split across cores.
    ///
    /// - Throws: `invalidData` naming the first non-finite element (`name[row][column]`).
    static func finiteColumnMaxima(_ x: Matrix, name: String) throws(SciLearnError) -> [Double] {
        let n = x.rows, ld = x.leadingDimension
        let maxima = try Parallel.map(x.columns, work: n * x.columns) { (j: Int) throws(SciLearnError) -> Double in
            var bad = -1
            let m = x.withUnsafeBufferPointer { buf in
                let col = buf.baseAddress! + j * ld
                let (m, finite) = largestMagnitude(col, count: n)
                if !finite {
                    // NaN fails every comparison, so `!(|v| <= .greatestFinite)` catches NaN and ±inf.
                    bad = (0..<n).first { !(abs(col[$0]) <= .greatestFiniteMagnitude) } ?? -1
                }
                return m
            }
            if bad >= 0 { throw .invalidData("\(name)[\(bad)][\(j)]", "must be a finite number; got \(x[bad, j])") }
            return m
        }
        return maxima
    }

    /// ``finiteColumnMaxima(_:name:)`` and each column's mean as a double-double
    /// (``AccurateSum``, the same bits as ``AccurateSum/columnMeans(_:)``) from one pass over X.
    static func finiteColumnMaximaAndMeans(_ x: Matrix, name: String) throws(SciLearnError) -> (maxima: [Double], means: [DoubleDouble]) {
        let n = x.rows, ld = x.leadingDimension
        guard n > 0 else { return ([Double](repeating: 0, count: x.columns), [DoubleDouble](repeating: DoubleDouble(0), count: x.columns)) }
        let columns = try Parallel.map(x.columns, work: n * x.columns) { (j: Int) throws(SciLearnError) -> (Double, DoubleDouble) in
            var bad = -1
            let result = x.withUnsafeBufferPointer { buf in
                let col = buf.baseAddress! + j * ld
                var total = DoubleDouble(0)
                let (m, finite) = AccurateSum.scan(col, count: n, into: &total)
                if !finite { bad = (0..<n).first { !(abs(col[$0]) <= .greatestFiniteMagnitude) } ?? -1 }
                return (m, total / Double(n))
            }
            if bad >= 0 { throw .invalidData("\(name)[\(bad)][\(j)]", "must be a finite number; got \(x[bad, j])") }
            return result
        }
        return (columns.map(\.0), columns.map(\.1))
    }

    /// max |v[i]| over `count` elements and whether all are finite, in one pass with four
    /// independent accumulators (v·0 is NaN exactly when v is NaN or ±inf, so the sum of those
    /// products is 0 only when every element is finite).
    @inline(__always)
    static func largestMagnitude(_ v: UnsafePointer<Double>, count n: Int) -> (Double, Bool) {
        var m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0
        var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0
        var i = 0
        while i + 4 <= n {
            let a0 = abs(v[i]), a1 = abs(v[i + 1]), a2 = abs(v[i + 2]), a3 = abs(v[i + 3])
            m0 = a0 > m0 ? a0 : m0
            m1 = a1 > m1 ? a1 : m1
            m2 = a2 > m2 ? a2 : m2
            m3 = a3 > m3 ? a3 : m3
            p0 += a0 * 0; p1 += a1 * 0; p2 += a2 * 0; p3 += a3 * 0
            i += 4
        }
        var m = Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
        var p = p0 + p1 + p2 + p3
        while i < n {
            let a = abs(v[i])
            m = a > m ? a : m
            p += a * 0
            i += 1
        }
        return (m, p == 0)
    }

    /// Every element of `v` is finite; otherwise `invalidData` naming `name[index]`.
    static func finite(_ v: [Double], name: String) throws(SciLearnError) {
        for (i, e) in v.enumerated() where !e.isFinite {
            throw .invalidData("\(name)[\(i)]", "must be a finite number; got \(e)")
        }
    }

    /// The first column that is constant and non-zero (statsmodels' constant detection), if any.
    static func constantColumn(_ x: Matrix) -> Int? {
        guard x.rows > 0 else { return nil }
        for j in 0..<x.columns {
            let first = x[0, j]
            if first == 0 { continue }
            var constant = true
            for i in 1..<max(1, x.rows) where x[i, j] != first { constant = false; break }
            if constant { return j }
        }
        return nil
    }
}
