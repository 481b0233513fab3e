#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sample sizes at which a two-sample test of proportions reaches a given power (matches
/// statsmodels `NormalIndPower().solve_power` with `proportion_effectsize`, solved to full
/// precision rather than to brentq's tolerance).
///
/// The effect is Cohen's h = 2·asin√p₁ − 2·asin√p₂; with m = n₁·ratio/(1 + ratio), the power of
/// the two-sided normal test is Φ(h√m − z) + Φ(−h√m − z) for z = Φ⁻¹(1 − α/2) (one-sided: the
/// first term, z = Φ⁻¹(1 − α)). One-sided sizes are closed-form; two-sided ones are Newton's
/// method on s = |h|√m from the one-sided start.
public struct ProportionsSampleSize: Sendable, Hashable, Codable {
    /// The significance level, in (0, 1).
    public var alpha: Double
    /// The power wanted, in (alpha, 1).
    public var power: Double
    /// n₂ / n₁, > 0.
    public var ratio: Double
    /// The alternative: `greater` plans for p₁ > p₂ (statsmodels' `larger`), `less` for p₁ < p₂.
    public var alternative: Alternative

    /// The ranges the configuration is held to.
    public enum Rules {
        /// `alpha` in (0, 1).
        public static let alpha = ParameterRule("alpha", lower: .exclusive(0), upper: .exclusive(1))
        /// `power` in (0, 1).
        public static let power = ParameterRule("power", lower: .exclusive(0), upper: .exclusive(1))
        /// `ratio > 0`.
        public static let ratio = ParameterRule.above("ratio", 0)
        /// `p1`, `p2` in (0, 1).
        public static let proportion = ParameterRule("p1", lower: .exclusive(0), upper: .exclusive(1))
    }

    /// A plan at level `alpha` and `power`, with `ratio` = n₂/n₁.
    public init(alpha: Double = 0.05, power: Double = 0.8, ratio: Double = 1, alternative: Alternative = .twoSided) {
        self.alpha = alpha
        self.power = power
        self.ratio = ratio
        self.alternative = alternative
    }

    /// The sizes (not rounded: round up to plan).
    public struct Result: Sendable, Hashable, Codable {
        /// The first group's size.
        public var n1: Double
        /// The second group's, n₁·ratio.
        public var n2: Double
    }

    /// The sizes to tell `p1` from `p2`.
    public func solve(p1: Double, p2: Double) throws(SciLearnError) -> Result {
        try Rules.alpha.check(alpha)
        try Rules.power.check(power)
        try Rules.ratio.check(ratio)
        try Rules.proportion.check(p1, name: "p1")
        try Rules.proportion.check(p2, name: "p2")
        guard p1 != p2 else {
            throw .invalidParameter("p2", "equals p1; no finite sample tells two equal proportions apart")
        }
        guard power > alpha else {
            throw .invalidParameter("power", "must exceed alpha (\(alpha)): a test of level alpha has power alpha with no data")
        }
        let h = 2 * asin(p1.squareRoot()) - 2 * asin(p2.squareRoot())
        switch alternative {
        case .greater where h <= 0:
            throw .invalidParameter("alternative", "\"greater\" plans for p1 > p2, but p1 = \(p1) < p2 = \(p2); use \"less\" or \"two-sided\"")
        case .less where h >= 0:
            throw .invalidParameter("alternative", "\"less\" plans for p1 < p2, but p1 = \(p1) > p2 = \(p2); use \"greater\" or \"two-sided\"")
        default: break
        }
        let d = abs(h)
        let zb = StandardNormal.inverseSF(1 - power)
        var s: Double
        if alternative == .twoSided {
            let z = StandardNormal.inverseSF(alpha / 2)
            s = z + zb
            // Newton on g(s) = Φ(s − z) + Φ(−s − z) − power; g is increasing for s > 0.
            for _ in 0..<100 {
                let g = StandardNormal.cdf(s - z) + StandardNormal.cdf(-s - z) - power
                let slope = (exp(-0.5 * (s - z) * (s - z)) - exp(-0.5 * (s + z) * (s + z))) / (2 * Double.pi).squareRoot()
                let step = g / slope
                s -= step
                if abs(step) <= 2 * Double.ulpOfOne * s { break }
            }
        } else {
            s = StandardNormal.inverseSF(alpha) + zb
        }
        let m = (s / d) * (s / d)
        let n1 = m * (1 + 1 / ratio)
        return Result(n1: n1, n2: n1 * ratio)
    }
}
