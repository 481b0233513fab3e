/// The alternative hypothesis of a test, as scipy.stats names it: `two-sided`, `less` (the
/// statistic, or the first sample's location, is below the null's) or `greater`.
public enum Alternative: String, Sendable, Hashable, Codable, CaseIterable {
    /// H₁: the parameter differs from its null value.
    case twoSided = "two-sided"
    /// H₁: the parameter is below its null value.
    case less
    /// H₁: the parameter is above its null value.
    case greater

    /// The p value of a statistic whose null distribution has lower tail `cdf` and upper tail
    /// `sf`: `cdf` for less, `sf` for greater, twice the smaller for two-sided (at most 1), each
    /// tail evaluated directly (scipy's `_get_pvalue`).
    func pValue(lower: Double, upper: Double) -> Double {
        switch self {
        case .less: lower
        case .greater: upper
        case .twoSided: min(1, 2 * min(lower, upper))
        }
    }
}
