/// Spearman's rank correlation (matches scipy.stats `spearmanr`): Pearson's r of the average
/// ranks, with the p value of t = ρ·√((n − 2)/((1 + ρ)(1 − ρ))) on n − 2 degrees of freedom.
///
/// - Complexity: O(n log n), one sort of each sample.
public struct SpearmanCorrelation: Sendable, Hashable, Codable {
    /// The alternative: `greater` is a positive correlation.
    public var alternative: Alternative

    /// A test against `alternative`.
    public init(alternative: Alternative = .twoSided) { self.alternative = alternative }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// ρ; nil when a sample is constant.
        public var statistic: Double?
        /// The p value; nil when undefined.
        public var pValue: Double?
        /// Why a field is null.
        public var warnings: [String]
    }

    /// The test of paired samples `x` and `y` (at least 3 pairs).
    public func test(_ x: [Double], _ y: [Double]) throws(SciLearnError) -> Result {
        guard x.count == y.count else { throw .invalidData("y", "has \(y.count) values but x has \(x.count); the samples must be paired") }
        guard x.count >= 3 else { throw .invalidData("x", "has \(x.count) value\(x.count == 1 ? "" : "s"); the test needs at least 3 pairs") }
        for (name, v) in [("x", x), ("y", y)] {
            if let i = v.firstIndex(where: { !$0.isFinite }) { throw .invalidData("\(name)[\(i)]", "must be a finite number; got \(v[i])") }
        }
        let ranks = try Parallel.map(2, work: 2 * x.count) { (k: Int) -> [Double] in Ranks(k == 0 ? x : y).ranks }
        let m = try CoMoments.of(ranks[0], ranks[1])
        if m.constantX || m.constantY {
            let which = UndefinedValue.constantPair(x: m.constantX, y: m.constantY)
            return Result(statistic: nil, pValue: nil, warnings: [UndefinedValue.undefined(["statistic", "p_value"], "\(which), so the correlation is 0/0")])
        }
        let product = m.sxx * m.syy
        let rho = Swift.max(-1, Swift.min(1, m.sxy / product.squareRoot()))
        let df = Double(x.count - 2)
        let t = rho * Swift.max(0, df / ((rho + 1) * (1 - rho))).squareRoot()
        let dist = StudentT(df: df)
        let p = alternative.pValue(lower: dist.cdf(t), upper: dist.sf(t))
        return Result(statistic: rho, pValue: p, warnings: [])
    }
}
