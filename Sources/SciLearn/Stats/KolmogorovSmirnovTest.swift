/// The one-sample Kolmogorov-Smirnov test of a sample against a normal distribution (matches
/// scipy.stats `kstest(a, "norm", args=(loc, scale))`, that is `ks_1samp` with `method="auto"`).
///
/// D⁺ = maxᵢ (i/n − F(x₍ᵢ₎)) and D⁻ = maxᵢ (F(x₍ᵢ₎) − (i − 1)/n) over the sorted sample; the
/// two-sided statistic is the larger. p values are exact: the one-sided
/// ones from ``SmirnovDistribution``, the two-sided one from ``KolmogorovDistribution``.
///
/// Parameters estimated from the same sample (the mean and standard deviation) make the test
/// conservative, as in scipy; Lilliefors' correction is not applied.
///
/// - Complexity: a sort, n evaluations of the normal distribution function and the p value's
///   O(n) at most.
public struct KolmogorovSmirnovTest: Sendable, Hashable, Codable {
    /// The distribution the sample is tested against.
    public var distribution: Normal
    /// The alternative: `less` is that the sample's distribution function lies below F
    /// somewhere (D⁻), `greater` above (D⁺).
    public var alternative: Alternative

    /// A test of a sample against `distribution`.
    public init(distribution: Normal = Normal(), alternative: Alternative = .twoSided) {
        self.distribution = distribution
        self.alternative = alternative
    }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// D, D⁺ or D⁻.
        public var statistic: Double
        /// The p value.
        public var pValue: Double
    }

    /// The test of `a` (at least one finite value).
    public func test(_ a: [Double]) throws(SciLearnError) -> Result {
        guard !a.isEmpty else { throw .invalidData("a", "is empty; the test needs at least one value") }
        if let i = a.firstIndex(where: { !$0.isFinite }) { throw .invalidData("a[\(i)]", "must be a finite number; got \(a[i])") }
        let x = RadixSort.sorted(a)
        let n = Double(x.count)
        var plus = -Double.infinity, minus = -Double.infinity
        for (i, v) in x.enumerated() {
            let f = distribution.cdf(v)
            plus = Swift.max(plus, Double(i + 1) / n - f)
            minus = Swift.max(minus, f - Double(i) / n)
        }
        switch alternative {
        case .greater:
            return Result(statistic: plus, pValue: SmirnovDistribution(n: x.count).sf(plus))
        case .less:
            return Result(statistic: minus, pValue: SmirnovDistribution(n: x.count).sf(minus))
        case .twoSided:
            let d = plus > minus ? plus : minus
            return Result(statistic: d, pValue: Swift.max(0, Swift.min(1, KolmogorovDistribution(n: x.count).sf(d))))
        }
    }
}
