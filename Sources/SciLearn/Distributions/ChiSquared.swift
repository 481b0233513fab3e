/// The chi-squared distribution with `df` degrees of freedom: CDF, survival function and
/// quantiles, each tail computed directly (matches scipy.stats.chi2).
///
/// `cdf(x) = P(df/2, x/2)` and `sf(x) = Q(df/2, x/2)`, the regularized incomplete gamma
/// functions of ``SpecialFunctions/regularizedGamma(_:_:)``.
public struct ChiSquared: Sendable, Hashable {
    /// Degrees of freedom, > 0 (need not be an integer).
    public let df: Double

    /// χ² with `df` degrees of freedom.
    ///
    /// - Precondition: `df > 0`.
    public init(df: Double) {
        precondition(df > 0, "ChiSquared requires df > 0")
        self.df = df
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double { SpecialFunctions.regularizedGamma(df / 2, x / 2).p }

    /// P(X > x), computed directly in the upper tail (never as 1 − cdf).
    public func sf(_ x: Double) -> Double { SpecialFunctions.regularizedGamma(df / 2, x / 2).q }

    /// The x with P(X ≤ x) = p.
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "quantile requires p in [0, 1]")
        return 2 * SpecialFunctions.inverseRegularizedGamma(df / 2, p: p, q: 1 - p)
    }

    /// The x with P(X > x) = q, exact in the upper tail.
    public func inverseSF(_ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "inverseSF requires q in [0, 1]")
        return 2 * SpecialFunctions.inverseRegularizedGamma(df / 2, p: 1 - q, q: q)
    }
}
