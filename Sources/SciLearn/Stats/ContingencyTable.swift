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
        let r = observed.rows, c = observed.columns, ld = observed.leadingDimension
        guard r >= 1, c >= 1 else { throw .invalidData("observed", "is empty; a table of counts is required") }
        var rowSums = [Double](repeating: 0, count: r), colSums = [Double](repeating: 0, count: c)
        // One column-major pass for the margins (four-wide); a negative, NaN or infinite count
        // shows in the smallest value or the sums, and is then found by a scan.
        var smallest = Double.infinity
        observed.withUnsafeBufferPointer { o in
            rowSums.withUnsafeMutableBufferPointer { rs in
                for j in 0..<c {
                    let col = o.baseAddress! + j * ld
                    var acc = SIMD4<Double>(repeating: 0), low = SIMD4<Double>(repeating: .infinity)
                    var i = 0
                    while i + 4 <= r {
                        let v = UnsafeRawPointer(col + i).loadUnaligned(as: SIMD4<Double>.self)
                        let sums = UnsafeRawPointer(rs.baseAddress! + i).loadUnaligned(as: SIMD4<Double>.self) + v
                        UnsafeMutableRawPointer(rs.baseAddress! + i).storeBytes(of: sums, as: SIMD4<Double>.self)
                        acc += v
                        low = pointwiseMin(low, v)
                        i += 4
                    }
                    var cs = acc.sum(), lo = low.min()
                    while i < r { rs[i] += col[i]; cs += col[i]; lo = Swift.min(lo, col[i]); i += 1 }
                    colSums[j] = cs
                    smallest = Swift.min(smallest, lo)
                }
            }
        }
        if !(smallest >= 0) || !colSums.reduce(0, +).isFinite {
            for j in 0..<c {
                for i in 0..<r {
                    let v = observed[i, j]
                    guard v >= 0, v.isFinite else { throw .invalidData("observed[\(i)][\(j)]", "must be a non-negative count; got \(v)") }
                }
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
        let dof = (r - 1) * (c - 1)
        if dof == 0 { return Result(statistic: 0, pValue: 1, dof: 0, expectedFrequencies: observed) }
        let yates = dof == 1 && correction
        var expected = [Double](repeating: 0, count: r * c)
        var stat = 0.0
        observed.withUnsafeBufferPointer { o in
            expected.withUnsafeMutableBufferPointer { e in
                rowSums.withUnsafeBufferPointer { rs in
                    for j in 0..<c {
                        let share = colSums[j] / total
                        let col = o.baseAddress! + j * ld, ecol = e.baseAddress! + j * r
                        var i = 0
                        var part = 0.0
                        if !yates {
                            // Four-wide: E = row sum × (column sum / total), Σ d·(d/E), d = O − E
                            // (neither d² nor the sum leaves the double range before the statistic).
                            var acc = SIMD4<Double>(repeating: 0)
                            let sh = SIMD4<Double>(repeating: share)
                            while i + 4 <= r {
                                let ev = UnsafeRawPointer(rs.baseAddress! + i).loadUnaligned(as: SIMD4<Double>.self) * sh
                                UnsafeMutableRawPointer(ecol + i).storeBytes(of: ev, as: SIMD4<Double>.self)
                                let d = UnsafeRawPointer(col + i).loadUnaligned(as: SIMD4<Double>.self) - ev
                                acc += d * (d / ev)
                                i += 4
                            }
                            part = acc.sum()
                        }
                        while i < r {
                            let ev = rs[i] * share
                            ecol[i] = ev
                            var ov = col[i]
                            if yates {
                                // Yates: each count moved toward E by at most ½.
                                let diff = ev - ov
                                ov += Swift.min(0.5, abs(diff)) * (diff > 0 ? 1 : diff < 0 ? -1 : 0)
                            }
                            let d = ov - ev
                            part += d * (d / ev)
                            i += 1
                        }
                        stat += part
                    }
                }
            }
        }
        guard stat.isFinite else { throw .invalidData("observed", "gives a statistic beyond the range of a double") }
        return Result(statistic: stat, pValue: ChiSquared(df: Double(dof)).sf(stat), dof: dof,
                      expectedFrequencies: Matrix(rows: r, columns: c, columnMajor: expected))
    }
}
