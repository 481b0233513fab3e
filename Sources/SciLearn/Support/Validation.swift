/// Input checks shared by every estimator, each naming the offending element by its wire name.
enum Validation {
    /// Checks that every element of `x` is finite and returns each column's largest magnitude:
    /// one pass over the raw column-major buffer, columns split across cores.
    ///
    /// - Throws: `invalidData` naming the first non-finite element (`name[row][column]`).
    static func finiteColumnMaxima(_ x: Matrix, name: String) throws(SciLearnError) -> [Double] {
        let n = x.rows, ld = x.leadingDimension
        let maxima = try Parallel.map(x.columns, work: n * x.columns) { (j: Int) throws(SciLearnError) -> Double in
            var m = 0.0
            var bad = -1
            x.withUnsafeBufferPointer { buf in
                let col = buf.baseAddress! + j * ld
                for i in 0..<n {
                    let a = abs(col[i])
                    // NaN fails every comparison, so `!(a <= .greatestFinite)` catches NaN and ±inf.
                    if !(a <= .greatestFiniteMagnitude) { bad = i; break }
                    m = max(m, a)
                }
            }
            if bad >= 0 { throw .invalidData("\(name)[\(bad)][\(j)]", "must be a finite number; got \(x[bad, j])") }
            return m
        }
        return maxima
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
