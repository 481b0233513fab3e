/// The Kruskal-Wallis H test (matches scipy.stats `kruskal`): H = 12/(N(N + 1))·Σ nᵢ(R̄ᵢ − (N + 1)/2)²
/// on the pooled ranks, divided by the tie correction 1 − Σ (t³ − t)/(N³ − N), on χ²(k − 1).
///
/// - Complexity: O(N log N), one sort of the pooled sample.
public enum KruskalWallis {
    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// H; nil when every value is the same (see ``warnings``).
        public var statistic: Double?
        /// P(χ²(k − 1) ≥ H); nil when undefined.
        public var pValue: Double?
        /// Why a field is null.
        public var warnings: [String]
    }

    /// The test of `groups` (at least two, each at least two values).
    public static func test(_ groups: [[Double]], field: String = "groups") throws(SciLearnError) -> Result {
        guard groups.count >= 2 else {
            throw .invalidData(field, "has \(groups.count) group\(groups.count == 1 ? "" : "s"); the test needs at least 2")
        }
        for (g, x) in groups.enumerated() {
            guard x.count >= 2 else {
                throw .invalidData("\(field)[\(g)]", "has \(x.count) value\(x.count == 1 ? "" : "s"); every group needs at least 2")
            }
            if let i = x.firstIndex(where: { !$0.isFinite }) { throw .invalidData("\(field)[\(g)][\(i)]", "must be a finite number; got \(x[i])") }
        }
        let pooled = groups.flatMap { $0 }
        let ranks = Ranks(pooled)
        let n = Double(pooled.count)
        // Σ nᵢ(R̄ᵢ − (N + 1)/2)², which equals Σ Rᵢ²/nᵢ − N(N + 1)²/4 without its cancellation
        // (scipy's form is off by 1.0e-11 relative at N = 10⁶).
        var sum = 0.0, start = 0
        let centre = (n + 1) / 2
        for x in groups {
            var r = 0.0
            for k in start..<(start + x.count) { r += ranks.ranks[k] }
            let d = r / Double(x.count) - centre
            sum += Double(x.count) * d * d
            start += x.count
        }
        let correction = 1 - ranks.tieTerm / (n * n * n - n)
        if correction <= 0 {
            return Result(statistic: nil, pValue: nil, warnings: [UndefinedValue.undefined(["statistic", "p_value"], "every value in every group is the same (scipy raises)")])
        }
        let h = 12 / (n * (n + 1)) * sum / correction
        return Result(statistic: h, pValue: ChiSquared(df: Double(groups.count - 1)).sf(h), warnings: [])
    }
}
