/// Pearson's chi-squared goodness-of-fit test (matches scipy.stats `chisquare`): the statistic
/// Σ (O − E)²/E on k − 1 − ddof degrees of freedom, E equal frequencies unless given.
public struct ChiSquareTest: Sendable, Hashable, Codable {
    /// The adjustment to the degrees of freedom (scipy's `ddof`), ≥ 0.
    public var ddof: Int

    /// The ranges the configuration is held to.
    public enum Rules {
        /// `ddof >= 0`.
        public static let ddof = ParameterRule.count("ddof", atLeast: 0)
    }

    /// A test with `ddof` delta degrees of freedom.
    public init(ddof: Int = 0) { self.ddof = ddof }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// Σ (O − E)²/E.
        public var statistic: Double
        /// P(χ²(k − 1 − ddof) ≥ statistic).
        public var pValue: Double
    }

    /// scipy's tolerance on Σ observed vs Σ expected: √ε relative.
    static let sumTolerance = Double.ulpOfOne.squareRoot()

    /// The test of `observed` frequencies (non-negative) against `expected` (positive; equal
    /// frequencies when nil), whose sums must agree to √ε relative as scipy requires.
    public func test(observed: [Double], expected: [Double]? = nil) throws(SciLearnError) -> Result {
        try Rules.ddof.check(ddof)
        let k = observed.count
        guard k >= 2 else { throw .invalidData("f_obs", "has \(k) frequencies; the test needs at least 2") }
        for (i, o) in observed.enumerated() where !(o >= 0 && o.isFinite) {
            throw .invalidData("f_obs[\(i)]", "must be a non-negative frequency; got \(o)")
        }
        guard k - 1 - ddof >= 1 else {
            throw .invalidParameter("ddof", "\(ddof) leaves \(k - 1 - ddof) degrees of freedom for \(k) frequencies; must be at most \(k - 2)")
        }
        let total = observed.reduce(0, +)
        guard total.isFinite else { throw .invalidData("f_obs", "sums beyond the range of a double; rescale the frequencies") }
        let e: [Double]
        if let expected {
            guard expected.count == k else {
                throw .invalidData("f_exp", "has \(expected.count) frequencies but f_obs has \(k); they must match")
            }
            for (i, v) in expected.enumerated() where !(v > 0 && v.isFinite) {
                throw .invalidData("f_exp[\(i)]", "must be a positive frequency; got \(v)")
            }
            let te = expected.reduce(0, +)
            guard te.isFinite else { throw .invalidData("f_exp", "sums beyond the range of a double; rescale the frequencies") }
            guard abs(total - te) <= Self.sumTolerance * min(total, te) else {
                throw .invalidData("f_exp", "sums to \(te) but f_obs sums to \(total); they must agree to a relative tolerance of \(Self.sumTolerance) (as scipy requires)")
            }
            e = expected
        } else {
            guard total > 0 else { throw .invalidData("f_obs", "sums to 0; the expected frequencies would be 0") }
            e = [Double](repeating: total / Double(k), count: k)
        }
        var stat = 0.0
        // d·(d/E): neither d² nor the sum leaves the double range before the statistic does.
        for i in 0..<k { let d = observed[i] - e[i]; stat += d * (d / e[i]) }
        guard stat.isFinite else { throw .invalidData("f_obs", "gives a statistic beyond the range of a double; rescale the frequencies") }
        return Result(statistic: stat, pValue: ChiSquared(df: Double(k - 1 - ddof)).sf(stat))
    }
}
