#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fisher's exact test of a 2 × 2 table (matches scipy.stats `fisher_exact`): the sample odds
/// ratio and the p value of the hypergeometric distribution of the top-left cell given the
/// margins; two-sided as scipy: the tables no more probable than the observed one (within a
/// relative 1e-14).
///
/// The probabilities are products of the ratios `pmf(x + 1)/pmf(x)` taken outward from the mode
/// and carried with a separate binary exponent, so that each is accurate to a few ulps (no
/// log-gamma cancellation) and tails down to 1e-300 keep their digits; terms below 2⁻¹¹⁰⁰ of
/// the mode are not visited.
///
/// - Complexity: O(min(support, 80·σ)) for σ the hypergeometric standard deviation.
public struct FisherExact: Sendable, Hashable, Codable {
    /// The alternative: `less` and `greater` concern the odds ratio (the top-left cell).
    public var alternative: Alternative

    /// A test against `alternative`.
    public init(alternative: Alternative = .twoSided) { self.alternative = alternative }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// The sample odds ratio (a·d)/(b·c); nil when infinite or undefined (see ``warnings``).
        public var statistic: Double?
        /// The exact p value.
        public var pValue: Double
        /// Why the statistic is null.
        public var warnings: [String]
    }

    /// The work of a table with these counts: the number of support points visited.
    public static func work(_ table: [Double]) -> Double {
        guard table.count == 4 else { return 0 }
        let n1 = table[0] + table[1], n2 = table[2] + table[3], n = table[0] + table[2]
        let total = n1 + n2
        let support = min(n1, n) - max(0, n - n2) + 1
        guard total > 0 else { return 1 }
        let sd = (n * n1 * n2 * (total - n) / (total * total * max(1, total - 1))).squareRoot()
        return max(1, min(support, 80 * sd + 80))
    }

    /// Checks that `table` is 2 × 2 with non-negative whole counts summing to at most 2⁵³.
    public static func validate(_ table: [[Double]]) throws(SciLearnError) {
        guard table.count == 2, table.allSatisfy({ $0.count == 2 }) else {
            throw .invalidData("table", "must be a 2 × 2 table; got \(table.count) rows of \(table.map { String($0.count) }.joined(separator: ", ")) counts")
        }
        for i in 0..<2 {
            for j in 0..<2 {
                let v = table[i][j]
                guard v >= 0, v.isFinite, v == v.rounded() else {
                    throw .invalidData("table[\(i)][\(j)]", "must be a non-negative whole number (a count); got \(v)")
                }
            }
        }
        // The margins and every table of the walk are whole numbers up to the total: it must stay
        // where doubles hold every integer (above 2⁵³, x + 1 == x and the walk would not move).
        let total = table[0][0] + table[0][1] + table[1][0] + table[1][1]
        guard total <= 9_007_199_254_740_992 else {
            throw .invalidData("table", "sums to \(total), beyond 2^53, where doubles no longer hold every whole number; counts must be exact")
        }
    }

    /// The test of `table` = [[a, b], [c, d]] given row by row, non-negative whole counts.
    public func test(_ table: [[Double]]) throws(SciLearnError) -> Result {
        try Self.validate(table)
        let a = table[0][0], b = table[0][1], c = table[1][0], d = table[1][1]
        if a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0 {
            return Result(statistic: nil, pValue: 1,
                          warnings: [UndefinedValue.undefined(["statistic"], "a row or column of the table is all zeros (the odds ratio is 0/0; the p value is 1, as scipy)")])
        }
        var warnings: [String] = []
        var odds: Double? = nil
        if c > 0 && b > 0 {
            odds = a * d / (c * b)
        } else {
            warnings.append(UndefinedValue.infinite(["statistic"], "an off-diagonal count is 0 (the odds ratio is a·d/0)"))
        }
        let p = Hypergeometric(total: a + b + c + d, successes: a + b, draws: a + c).pValue(observed: a, alternative)
        return Result(statistic: odds, pValue: min(1, p), warnings: warnings)
    }
}
