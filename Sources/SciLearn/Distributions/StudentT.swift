#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Student's t distribution with `df` degrees of freedom: CDF, survival function and quantiles,
/// accurate to about 1e-13 relative in both tails (matches scipy.stats.t).
///
/// Reduced to the incomplete beta function: for t > 0,
/// `sf(t) = ½ I_{ν/(ν+t²)}(ν/2, ½)`, with `ν/(ν+t²)` and `t²/(ν+t²)` formed separately.
public struct StudentT: Sendable, Hashable {
    /// Degrees of freedom, > 0 (need not be an integer).
    public let df: Double

    /// Student's t with `df` degrees of freedom.
    ///
    /// - Precondition: `df > 0`.
    public init(df: Double) {
        precondition(df > 0, "StudentT requires df > 0")
        self.df = df
    }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double { t > 0 ? 1 - halfTail(t) : halfTail(t) }

    /// P(T > t), computed directly in the upper tail.
    public func sf(_ t: Double) -> Double { cdf(-t) }

    /// Two-sided p-value P(|T| ≥ |t|).
    public func twoSidedPValue(_ t: Double) -> Double { min(1, 2 * halfTail(t)) }

    /// The t with P(T ≤ t) = p, for p in [0, 1].
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "quantile requires p in [0, 1]")
        if p == 0.5 { return 0 }
        return p < 0.5 ? -upperQuantile(p) : upperQuantile(1 - p)
    }

    /// The t with P(T > t) = q (the inverse survival function), exact in the upper tail.
    public func inverseSF(_ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "inverseSF requires q in [0, 1]")
        if q == 0.5 { return 0 }
        return q < 0.5 ? upperQuantile(q) : -upperQuantile(1 - q)
    }

    /// P(T > |t|).
    private func halfTail(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        if t == 0 { return 0.5 }
        if df.isInfinite { return StandardNormal.sf(abs(t)) }
        let t2 = t * t
        let x: Double, y: Double
        if t2.isInfinite || t2 > 1e300 {
            x = (df / abs(t)) / abs(t); y = 1
        } else if t2 > df {
            x = df / (df + t2); y = t2 / (df + t2)
        } else {
            y = t2 / (df + t2); x = df / (df + t2)
        }
        return 0.5 * SpecialFunctions.incompleteBeta(df / 2, 0.5, x: x, y: y).p
    }

    /// The t > 0 with P(T > t) = q, q in (0, ½).
    private func upperQuantile(_ q: Double) -> Double {
        if q == 0 { return .infinity }
        if df.isInfinite { return StandardNormal.inverseSF(q) }
        let a = df / 2
        // Far tail: I_x(a, ½) = xᵃ/(a B(a, ½))·(1 + O(x)), so ln x is known in closed form
        // even where x itself underflows.
        let logX = (log(2 * q) + log(a) + SpecialFunctions.logBeta(a, 0.5)) / a
        if logX < -200 { return exp(0.5 * (log(df) - logX)) }
        let (x, y) = SpecialFunctions.inverseIncompleteBeta(a, 0.5, p: 2 * q, q: 1 - 2 * q)
        if x == 0 { return .infinity }
        return (df * y / x).squareRoot()
    }
}
