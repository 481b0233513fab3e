/// Input checks shared by every estimator, each naming the offending element by its wire name.
enum Validation {
    /// Every element of `x` is finite; otherwise `invalidData` naming `name[row][column]`.
    static func finite(_ x: Matrix, name: String) throws(SciLearnError) {
        for j in 0..<x.columns {
            for i in 0..<x.rows where !x[i, j].isFinite {
                throw .invalidData("\(name)[\(i)][\(j)]", "must be a finite number; got \(x[i, j])")
            }
        }
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
