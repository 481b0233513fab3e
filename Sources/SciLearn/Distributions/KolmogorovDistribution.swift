#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distribution of the two-sided Kolmogorov-Smirnov statistic Dₙ = sup |Fₙ − F| of n values
/// (matches scipy.stats `kstwo`).
///
/// The upper tail P(Dₙ ≥ d) follows Simard and L'Ecuyer's choice of method by region, as
/// scipy's `_kolmogn` does: Ruben and Gambino's closed forms for nd ≤ 1 and nd ≥ n − 1, twice the
/// one-sided tail (``SmirnovDistribution``) where the two one-sided events cannot overlap
/// (d ≥ 1/2) or barely do (nd² above 4 for n ≤ 140, above 2.2 beyond), Durbin's matrix in
/// Marsaglia, Tsang and Wang's form for small nd², Pomeranz's recursion between them for n ≤ 140,
/// and the Pelz-Good asymptotic series otherwise; 0 once nd² ≥ 370.
///
/// - Complexity: O(n) at most for the one-sided sums, O(k³ log n) with k = ⌈nd⌉ for Durbin's
///   matrix, O(n·nd) for Pomeranz's recursion.
public struct KolmogorovDistribution: Sendable, Hashable {
    /// The number of values, at least 1.
    public let n: Int

    /// The distribution of Dₙ for `n` values.
    public init(n: Int) {
        precondition(n >= 1, "KolmogorovDistribution requires n >= 1")
        self.n = n
    }

    /// The work of ``sf(_:)`` in the flops the service's limits count: the larger of the
    /// one-sided sum and Durbin's matrix powers (k ≤ 1.3 n^⅓ + 1 where scipy's rule uses them).
    public static func work(n: Int) -> Double {
        let k = 1.3 * cbrt(Double(min(n, 100_000))) + 2
        let matrix = 2 * pow(2 * k, 3) * 2 * log2(Double(n) + 2)
        return Swift.max(SmirnovDistribution.work(n: n), matrix) + 25 * 282 * 2500   // + Pomeranz at n ≤ 140
    }

    /// P(Dₙ ≥ d): 1 for d ≤ 0 and for nd ≤ 1/2, 0 for d ≥ 1.
    public func sf(_ d: Double) -> Double {
        if d.isNaN { return .nan }
        if d >= 1 { return 0 }
        if d <= 0 { return 1 }
        let nn = Double(n)
        let t = nn * d
        if t <= 1 {
            if t <= 0.5 { return 1 }
            // Ruben-Gambino: P(Dₙ < d) = n!/nⁿ (2nd − 1)ⁿ for 1/(2n) ≤ d ≤ 1/n.
            let p: Double
            if n <= 140 {
                var product = 1.0
                for i in 1...n { product *= Double(i) * (1 / nn) * (2 * t - 1) }
                p = product
            } else {
                p = exp(Self.logFactorialOverPower(n) + nn * log(2 * t - 1))
            }
            return Self.clip(1 - p)
        }
        if t >= nn - 1 { return Self.clip(2 * pow(1 - d, nn)) }
        if d >= 0.5 { return Self.clip(2 * SmirnovDistribution(n: n).sf(d)) }
        let tSquared = t * d
        if n <= 140 {
            if tSquared <= 0.754693 { return Self.clip(1 - durbinCDF(d)) }
            if tSquared <= 4 { return Self.clip(1 - pomeranzCDF(d)) }
            return Self.clip(2 * SmirnovDistribution(n: n).sf(d))
        }
        if tSquared >= 370 { return 0 }
        if tSquared >= 2.2 { return Self.clip(2 * SmirnovDistribution(n: n).sf(d)) }
        if n <= 100_000 && nn * pow(d, 1.5) <= 1.4 { return Self.clip(1 - durbinCDF(d)) }
        return Self.clip(1 - pelzGoodCDF(d))
    }

    static func clip(_ p: Double) -> Double { Swift.max(0, Swift.min(1, p)) }

    /// log(n!/nⁿ) by Stirling's series, for n > 140.
    static func logFactorialOverPower(_ n: Int) -> Double {
        let coefficients = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
                            8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
                            -2.7777777777777777778e-3, 8.3333333333333333333e-2]
        let nn = Double(n), r = 1 / nn
        var series = 0.0
        for c in coefficients { series = series * (r / nn) + c }
        return log(nn) / 2 - nn + log(2 * Double.pi) / 2 + r * series
    }
}
