/// The z-test for one proportion or the difference of two (matches statsmodels
/// `proportions_ztest`): z = (p̂ − value) / √(p(1 − p)/n) for one sample, with p the sample
/// proportion; z = (p̂₁ − p̂₂ − value) / √(p(1 − p)(1/n₁ + 1/n₂)) for two, with p pooled; `propVar`
/// replaces p when given.
public struct ProportionsZTest: Sendable, Hashable, Codable {
    /// The proportion (one sample) or difference (two samples) under the null; required for one
    /// sample, 0 for two when nil.
    public var value: Double?
    /// The alternative (statsmodels' `larger` is `greater`, `smaller` is `less`).
    public var alternative: Alternative
    /// The proportion used in the variance instead of the sample's (statsmodels' `prop_var`).
    public var propVar: Double?

    /// A test of `value` against `alternative`.
    public init(value: Double? = nil, alternative: Alternative = .twoSided, propVar: Double? = nil) {
        self.value = value
        self.alternative = alternative
        self.propVar = propVar
    }

    /// The ranges the configuration is held to.
    public enum Rules {
        /// `prop_var` in (0, 1).
        public static let propVar = ParameterRule("prop_var", lower: .exclusive(0), upper: .exclusive(1))
    }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// z; nil when the variance is 0 (see ``warnings``).
        public var statistic: Double?
        /// The normal p value; nil when undefined.
        public var pValue: Double?
        /// Why a field is null.
        public var warnings: [String]
    }

    /// The test of `count` successes in `nobs` trials (one or two samples; one `nobs` applies to
    /// both).
    public func test(count: [Double], nobs: [Double]) throws(SciLearnError) -> Result {
        guard count.count == 1 || count.count == 2 else {
            throw .invalidData("count", "has \(count.count) counts; the test takes 1 (one sample) or 2 (two samples)")
        }
        guard nobs.count == 1 || nobs.count == count.count else {
            throw .invalidData("nobs", "has \(nobs.count) values but count has \(count.count); give one nobs or one per count")
        }
        let trials = nobs.count == count.count ? nobs : [Double](repeating: nobs[0], count: count.count)
        for (i, n) in nobs.enumerated() where !(n > 0 && n.isFinite) {
            throw .invalidData("nobs[\(i)]", "must be a positive number of observations; got \(n)")
        }
        for (i, c) in count.enumerated() {
            guard c >= 0, c.isFinite else { throw .invalidData("count[\(i)]", "must be a non-negative count; got \(c)") }
            guard c <= trials[i] else {
                throw .invalidData("count[\(i)]", "is \(c), above its nobs \(trials[i]); a count of successes cannot exceed its trials")
            }
        }
        if let propVar { try Rules.propVar.check(propVar) }
        if let value, !value.isFinite { throw .invalidParameter("value", "must be a finite number") }
        let diff: Double, pooled: Double, factor: Double
        if count.count == 1 {
            guard let value else {
                throw .invalidParameter("value", "is required for a one-sample test (the proportion under the null)")
            }
            let prop = count[0] / trials[0]
            diff = prop - value
            pooled = prop
            factor = 1 / trials[0]
        } else {
            diff = count[0] / trials[0] - count[1] / trials[1] - (value ?? 0)
            pooled = (count[0] + count[1]) / (trials[0] + trials[1])
            factor = 1 / trials[0] + 1 / trials[1]
        }
        let p = propVar ?? pooled
        let se = (p * (1 - p) * factor).squareRoot()
        let z = diff / se
        if z.isNaN {
            return Result(statistic: nil, pValue: nil, warnings: [UndefinedValue.undefined(["statistic", "p_value"], "the variance p(1 - p)/n is 0 (a proportion of 0 or 1) and the difference under test is 0")])
        }
        let pValue = alternative.pValue(lower: StandardNormal.cdf(z), upper: StandardNormal.sf(z))
        if z.isInfinite {
            return Result(statistic: nil, pValue: pValue, warnings: [UndefinedValue.infinite(["statistic"], "the variance p(1 - p)/n is 0 (a proportion of 0 or 1)")])
        }
        return Result(statistic: z, pValue: pValue, warnings: [])
    }
}
