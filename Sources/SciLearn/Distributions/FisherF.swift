#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The F distribution with `dfn` and `dfd` degrees of freedom: CDF, survival function and
/// quantiles, accurate to about 1e-13 relative in both tails (matches scipy.stats.f).
///
/// `cdf(f) = I_x(dfn/2, dfd/2)` with `x = dfn·f/(dfn·f + dfd)` and `1 − x = dfd/(dfn·f + dfd)`
/// formed separately.
public struct FisherF: Sendable, Hashable {
    /// Numerator degrees of freedom.
    public let dfn: Double
    /// Denominator degrees of freedom.
    public let dfd: Double

    /// The distribution F(`dfn`, `dfd`).
    ///
    /// - Precondition: `dfn > 0`, `dfd > 0`.
    public init(dfn: Double, dfd: Double) {
        precondition(dfn > 0 && dfd > 0, "FisherF requires dfn > 0 and dfd > 0")
        self.dfn = dfn
        self.dfd = dfd
    }

    /// P(F ≤ f).
    public func cdf(_ f: Double) -> Double { tails(f).p }

    /// P(F > f), computed directly in the upper tail.
    public func sf(_ f: Double) -> Double { tails(f).q }

    /// The f with P(F ≤ f) = p.
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "quantile requires p in [0, 1]")
        return invert(p: p, q: 1 - p)
    }

    /// The f with P(F > f) = q, exact in the upper tail.
    public func inverseSF(_ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "inverseSF requires q in [0, 1]")
        return invert(p: 1 - q, q: q)
    }

    private func tails(_ f: Double) -> (p: Double, q: Double) {
        if f.isNaN { return (.nan, .nan) }
        if f <= 0 { return (0, 1) }
        if f.isInfinite { return (1, 0) }
        let num = dfn * f
        let den = num + dfd
        if den.isInfinite { return (1, 0) }
        return SpecialFunctions.incompleteBeta(dfn / 2, dfd / 2, x: num / den, y: dfd / den)
    }

    private func invert(p: Double, q: Double) -> Double {
        if p == 0 { return 0 }
        if q == 0 { return .infinity }
        let a = dfn / 2, b = dfd / 2
        // Far lower tail: I_x(a, b) = xᵃ/(a B(a, b))·(1 + O(x)); x may underflow, ln x does not.
        let logX = (log(p) + log(a) + SpecialFunctions.logBeta(a, b)) / a
        if logX < -200 { return exp(log(dfd) + logX - log(dfn)) }
        let (x, y) = SpecialFunctions.inverseIncompleteBeta(a, b, p: p, q: q)
        if y == 0 { return .infinity }
        return dfd * x / (dfn * y)
    }
}
