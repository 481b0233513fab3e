#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution: tails through the C library's `erfc` (accurate to a few
/// ulps in both tails) and quantiles by Newton's method on it (matches scipy.stats.norm).
public enum StandardNormal {
    /// P(Z > z), computed directly in the upper tail.
    public static func sf(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// P(Z ≤ z).
    public static func cdf(_ z: Double) -> Double { sf(-z) }

    /// Two-sided p-value P(|Z| ≥ |z|).
    public static func twoSidedPValue(_ z: Double) -> Double { min(1, 2 * sf(abs(z))) }

    /// The z with P(Z ≤ z) = p (scipy.stats.norm.ppf), exact in the lower tail; ±∞ at 0 and 1.
    public static func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "quantile requires p in [0, 1]")
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        return -upperQuantile(p)
    }

    /// The z with P(Z > z) = q (scipy.stats.norm.isf), exact in the upper tail; ±∞ at 0 and 1.
    public static func inverseSF(_ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "inverseSF requires q in [0, 1]")
        if q == 0 { return .infinity }
        if q == 1 { return -.infinity }
        return upperQuantile(q)
    }

    /// The z with P(Z > z) = q, for q in (0, 1): the two-sided critical value of level α is
    /// `upperQuantile(α / 2)`.
    public static func upperQuantile(_ q: Double) -> Double {
        precondition(q > 0 && q < 1, "upperQuantile requires q in (0, 1)")
        if q > 0.5 { return -upperQuantile(1 - q) }
        if q == 0.5 { return 0 }
        // Start from the tail asymptote, then Newton on log sf (well scaled in the far tail).
        let t = (-2 * log(q)).squareRoot()
        var z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
        for _ in 0..<50 {
            let s = sf(z)
            let density = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            let step = (s - q) / density
            z += step
            if abs(step) <= 4 * Double.ulpOfOne * max(1, abs(z)) { break }
        }
        return z
    }
}
