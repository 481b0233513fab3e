/// The chi-squared test of independence of an r × c contingency table (matches scipy.stats
/// `chi2_contingency`): expected frequencies from the margins, (r − 1)(c − 1) degrees of
/// freedom, and Yates' continuity correction for a 2 × 2 table when `correction`.
public struct ContingencyTable: Sendable, Hashable, Codable {
    /// Whether to apply Yates' correction when the table has one degree of freedom.
    public var correction: Bool

    /// A test, corrected for continuity on 2 × 2 tables when `correction`.
    public init(correction: Bool = true) { self.correction = correction }

    /// The test's outcome.
    public struct Result: Sendable, Codable {
        /// Σ (O − E)²/E (after Yates' correction when it applies).
        public var statistic: Double
        /// P(χ²(dof) ≥ statistic); 1 when dof = 0.
        public var pValue: Double
        /// The degrees of freedom, (r − 1)(c − 1).
        public var dof: Int
        /// The expected frequencies under independence, r × c.
        public var expectedFrequencies: Matrix
    }

    /// The test of `observed`, a table of non-negative counts with no zero row or column.
    ///
    /// - Complexity: O(r·c).
    public func test(_ observed: Matrix) throws(SciLearnError) -> Result {
        let r = observed.rows, c = observed.columns
        guard r >= 1, c >= 1 else { throw .invalidData("observed", "is empty; a table of counts is required") }
        var rowSums = [Double](repeating: 0, count: r), colSums = [Double](repeating: 0, count: c)
        for j in 0..<c {
            for i in 0..<r {
                let v = observed[i, j]
                guard v >= 0, v.isFinite else { throw .invalidData("observed[\(i)][\(j)]", "must be a non-negative count; got \(v)") }
                rowSums[i] += v; colSums[j] += v
            }
        }
        if let i = rowSums.firstIndex(of: 0) {
            throw .invalidData("observed[\(i)]", "row \(i) sums to 0, so its expected frequencies are 0 and the statistic is undefined; drop the empty row")
        }
        if let j = colSums.firstIndex(of: 0) {
            throw .invalidData("observed", "column \(j) sums to 0, so its expected frequencies are 0 and the statistic is undefined; drop the empty column")
        }
        let total = rowSums.reduce(0, +)
        guard total.isFinite else { throw .invalidData("observed", "sums beyond the range of a double") }
        var expected = Matrix(rows: r, columns: c)
        for j in 0..<c { for i in 0..<r { expected[i, j] = rowSums[i] * (colSums[j] / total) } }
        let dof = (r - 1) * (c - 1)
        if dof == 0 { return Result(statistic: 0, pValue: 1, dof: 0, expectedFrequencies: observed) }
        var stat = 0.0
        let yates = dof == 1 && correction
        for j in 0..<c {
            for i in 0..<r {
                let e = expected[i, j]
                var o = observed[i, j]
                if yates {
                    let diff = e - o
                    o += min(0.5, abs(diff)) * (diff > 0 ? 1 : diff < 0 ? -1 : 0)
                }
                let d = o - e
                stat += d * (d / e)
            }
        }
        guard stat.isFinite else { throw .invalidData("observed", "gives a statistic beyond the range of a double") }
        return Result(statistic: stat, pValue: ChiSquared(df: Double(dof)).sf(stat), dof: dof, expectedFrequencies: expected)
    }
}
