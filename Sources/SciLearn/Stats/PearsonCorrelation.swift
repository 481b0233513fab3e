#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pearson's correlation coefficient with its test and the Fisher-z confidence interval
/// (matches scipy.stats `pearsonr`): r from the centred co-moments (``CoMoments``, one pass), the
/// exact p value of the null Beta(n/2 − 1, n/2 − 1) on (−1, 1), and
/// `tanh(atanh r ± z·/√(n − 3))`.
///
/// - Complexity: O(n), one read of each sample.
public struct PearsonCorrelation: Sendable, Hashable, Codable {
    /// The alternative: `greater` is a positive correlation.
    public var alternative: Alternative
    /// The level of the confidence interval, in (0, 1).
    public var confidenceLevel: Double

    /// A test against `alternative`, with its interval at `confidenceLevel`.
    public init(alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95) {
        self.alternative = alternative
        self.confidenceLevel = confidenceLevel
    }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// r, in [−1, 1]; nil when a sample is constant.
        public var statistic: Double?
        /// The p value; nil when a sample is constant.
        public var pValue: Double?
        /// The Fisher-z interval of r ([−1, 1] for n ≤ 3); nil when a sample is constant.
        public var confidenceInterval: ConfidenceInterval?
        /// Why a field is null.
        public var warnings: [String]
    }

    /// The test of paired samples `x` and `y` (at least 2 pairs).
    public func test(_ x: [Double], _ y: [Double]) throws(SciLearnError) -> Result {
        try TTest.Rules.confidenceLevel.check(confidenceLevel)
        guard x.count == y.count else {
            throw .invalidData("y", "has \(y.count) values but x has \(x.count); the samples must be paired")
        }
        guard x.count >= 2 else { throw .invalidData("x", "has \(x.count) value\(x.count == 1 ? "" : "s"); the correlation needs at least 2 pairs") }
        let m = try CoMoments.of(x, y)
        // r is scale-free: samples whose squares would leave the double range are scaled by
        // powers of two (exactly) first.
        let fx = SquareSafeScale.factor(maxAbs: max(abs(m.minX), abs(m.maxX))), fy = SquareSafeScale.factor(maxAbs: max(abs(m.minY), abs(m.maxY)))
        if fx != nil || fy != nil {
            return try test(SquareSafeScale.scaled(x, by: fx ?? 1), SquareSafeScale.scaled(y, by: fy ?? 1))
        }
        guard m.sxx.isFinite, m.syy.isFinite, m.sxy.isFinite else {
            throw .invalidData("x", "x and y hold values whose products leave the range of a double; rescale the data")
        }
        if m.constantX || m.constantY {
            let which = UndefinedValue.constantPair(x: m.constantX, y: m.constantY)
            return Result(statistic: nil, pValue: nil, confidenceInterval: nil,
                          warnings: [UndefinedValue.undefined(["statistic", "p_value", "confidence_interval"], "\(which), so the correlation is 0/0")])
        }
        let n = m.count
        // One square root of the product where it is representable (exact lines give exactly ±1),
        // else each sum of squares scaled first.
        let product = m.sxx * m.syy
        var r = product.isFinite && product > 0 ? m.sxy / product.squareRoot() : (m.sxy / m.sxx.squareRoot()) / m.syy.squareRoot()
        r = max(-1, min(1, r))
        if n == 2 {
            let s: Double = r >= 0 ? 1 : -1
            return Result(statistic: s, pValue: 1, confidenceInterval: ConfidenceInterval(lower: -1, upper: 1), warnings: [])
        }
        let ab = n / 2 - 1
        // sf(r) = I_{(1−r)/2}(ab, ab), cdf(r) = I_{(1+r)/2}(ab, ab): each end formed directly.
        let lowerTail = SpecialFunctions.incompleteBeta(ab, ab, x: (1 + r) / 2, y: (1 - r) / 2).p
        let upperTail = SpecialFunctions.incompleteBeta(ab, ab, x: (1 - r) / 2, y: (1 + r) / 2).p
        let p = alternative.pValue(lower: lowerTail, upper: upperTail)
        return Result(statistic: r, pValue: p, confidenceInterval: fisherInterval(r: r, n: n), warnings: [])
    }

    /// scipy's `_pearsonr_fisher_ci`.
    func fisherInterval(r: Double, n: Double) -> ConfidenceInterval {
        if n <= 3 { return ConfidenceInterval(lower: -1, upper: 1) }
        if abs(r) == 1 { return ConfidenceInterval(lower: r, upper: r) }
        let z = atanh(r), se = 1 / (n - 3).squareRoot()
        switch alternative {
        case .twoSided:
            let h = StandardNormal.quantile(0.5 + confidenceLevel / 2)
            return ConfidenceInterval(lower: tanh(z - h * se), upper: tanh(z + h * se))
        case .less:
            return ConfidenceInterval(lower: -1, upper: tanh(z + StandardNormal.quantile(confidenceLevel) * se))
        case .greater:
            return ConfidenceInterval(lower: tanh(z - StandardNormal.quantile(confidenceLevel) * se), upper: 1)
        }
    }
}
