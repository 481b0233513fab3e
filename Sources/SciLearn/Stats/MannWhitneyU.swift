/// The Mann-Whitney U test (matches scipy.stats `mannwhitneyu`): U₁ = R₁ − n₁(n₁ + 1)/2 from the
/// rank sum of the first sample, the exact null distribution for small samples without ties
/// (``MannWhitneyDistribution``), the normal approximation with the tie correction and, when
/// `useContinuity`, the continuity correction otherwise.
///
/// The rank sum comes from one radix sort of each sample (both at once on two cores) and a merge that
/// gives ties their average rank and counts them, so 2 × 10⁶ values cost two sorts of 10⁶.
///
/// - Complexity: O(n log n); the exact method O(min(n₁, n₂)²·max(n₁, n₂)) at most.
public struct MannWhitneyU: Sendable, Hashable, Codable {
    /// How the p value is computed.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// Exact when both samples are small and there are no ties (scipy's rule), else the
        /// normal approximation.
        case auto
        /// The exact null distribution (of samples without ties).
        case exact
        /// The normal approximation with the tie correction.
        case asymptotic
    }

    /// The alternative: `greater` is that the first sample's distribution lies above the second's.
    public var alternative: Alternative
    /// The continuity correction of the normal approximation.
    public var useContinuity: Bool
    /// The method.
    public var method: Method

    /// A test against `alternative` by `method`.
    public init(alternative: Alternative = .twoSided, useContinuity: Bool = true, method: Method = .auto) {
        self.alternative = alternative
        self.useContinuity = useContinuity
        self.method = method
    }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// U₁, the statistic of the first sample.
        public var statistic: Double
        /// The p value; nil when every value of both samples is the same (see ``warnings``).
        public var pValue: Double?
        /// The method that ran (`auto` resolved).
        public var method: Method
        /// Why a field is null.
        public var warnings: [String]
    }

    /// The rank sum of `a` in the pooled sample and the tie term Σ (t³ − t), from a sort of each.
    static func rankSum(_ a: [Double], _ b: [Double]) throws(SciLearnError) -> (r1: Double, tieTerm: Double) {
        let sorted = try Parallel.map(2, work: a.count + b.count) { (k: Int) -> [Double] in RadixSort.sorted(k == 0 ? a : b) }
        let x = sorted[0], y = sorted[1]
        var i = 0, j = 0, position = 0
        var r1 = 0.0, tie = 0.0
        while i < x.count || j < y.count {
            let v = j >= y.count || (i < x.count && x[i] <= y[j]) ? x[i] : y[j]
            var inX = 0, inY = 0
            while i < x.count && x[i] == v { inX += 1; i += 1 }
            while j < y.count && y[j] == v { inY += 1; j += 1 }
            let t = inX + inY
            // Positions position+1 … position+t share their mean rank.
            r1 += Double(inX) * (Double(2 * position + t + 1) / 2)
            if t > 1 { let tt = Double(t); tie += tt * tt * tt - tt }
            position += t
        }
        return (r1, tie)
    }

    /// The test of `a` against `b` (each at least one value).
    public func test(_ a: [Double], _ b: [Double]) throws(SciLearnError) -> Result {
        guard !a.isEmpty else { throw .invalidData("a", "is empty; the test needs at least one value in each sample") }
        guard !b.isEmpty else { throw .invalidData("b", "is empty; the test needs at least one value in each sample") }
        for (name, x) in [("a", a), ("b", b)] {
            if let i = x.firstIndex(where: { !$0.isFinite }) { throw .invalidData("\(name)[\(i)]", "must be a finite number; got \(x[i])") }
        }
        let n1 = Double(a.count), n2 = Double(b.count)
        let (r1, tieTerm) = try Self.rankSum(a, b)
        let u1 = r1 - n1 * (n1 + 1) / 2
        let u2 = n1 * n2 - u1
        let (u, factor): (Double, Double) = switch alternative {
        case .greater: (u1, 1)
        case .less: (u2, 1)
        case .twoSided: (Swift.max(u1, u2), 2)
        }
        var chosen = method
        if chosen == .auto { chosen = (a.count > 8 && b.count > 8) || tieTerm > 0 ? .asymptotic : .exact }
        let p: Double
        if chosen == .exact {
            // P(U ≥ ⌊u⌋) = P(U ≤ mn − ⌊u⌋) by symmetry (scipy truncates a tied U of x.5).
            p = MannWhitneyDistribution(m: a.count, n: b.count).cdf(n1 * n2 - u.rounded(.towardZero))
        } else {
            let n = n1 + n2
            let mu = n1 * n2 / 2
            let s = (n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            guard s > 0 else {
                // Every value tied: scipy's z is −0.5/0 = −∞ (p = 1) with the continuity
                // correction, 0/0 without.
                if useContinuity { return Result(statistic: u1, pValue: 1, method: chosen, warnings: []) }
                return Result(statistic: u1, pValue: nil, method: chosen,
                              warnings: [UndefinedValue.undefined(["p_value"], "every value of a and b is the same, so the normal approximation has no variance")])
            }
            var numerator = u - mu
            if useContinuity { numerator -= 0.5 }
            p = StandardNormal.sf(numerator / s)
        }
        return Result(statistic: u1, pValue: Swift.max(0, Swift.min(1, p * factor)), method: chosen, warnings: [])
    }
}
