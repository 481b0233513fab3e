/// The one-way analysis of variance (matches scipy.stats `f_oneway`): F = (SS_between / (k − 1)) /
/// (SS_within / (N − k)) from each group's mean and centred sum of squares (``Moments``, one
/// pass per group), on F(k − 1, N − k).
///
/// Groups that are each constant give scipy's answers: an infinite statistic (null here, p 0)
/// when their values differ, an undefined one when every value is the same.
///
/// - Complexity: O(N), one read of every group.
public enum OneWayANOVA {
    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// The F statistic; nil when infinite or undefined (see ``warnings``).
        public var statistic: Double?
        /// P(F ≥ statistic); nil when undefined.
        public var pValue: Double?
        /// k − 1.
        public var dfBetween: Double
        /// N − k.
        public var dfWithin: Double
        /// Why a field is null.
        public var warnings: [String]
    }

    /// The test of `groups` (at least two, each at least one value, more values than groups).
    public static func test(_ groups: [[Double]], field: String = "groups") throws(SciLearnError) -> Result {
        guard groups.count >= 2 else {
            throw .invalidData(field, "has \(groups.count) group\(groups.count == 1 ? "" : "s"); the analysis of variance needs at least 2")
        }
        for (g, group) in groups.enumerated() where group.isEmpty {
            throw .invalidData("\(field)[\(g)]", "is empty; every group needs at least one value")
        }
        var moments = try Moments.of(samples: groups)
        for (g, m) in moments.enumerated() {
            guard m.mean.isFinite, m.m2.isFinite || SquareSafeScale.factor(maxAbs: max(abs(m.minimum), abs(m.maximum))) != nil else {
                throw .invalidData("\(field)[\(g)]", "holds values whose sums leave the range of a double; rescale the data")
            }
        }
        // Squares of values beyond 10^±140 would overflow or underflow: F is scale-free, so
        // the groups are scaled by a power of two (exactly) first.
        if let factor = SquareSafeScale.factor(moments) {
            return try test(groups.map { SquareSafeScale.scaled($0, by: factor) }, field: field)
        }
        let k = Double(groups.count)
        let total = moments.reduce(0) { $0 + $1.count }
        guard total > k else {
            throw .invalidData(field, "holds one value per group; the within-group variance needs more values than groups")
        }
        // Every group measured from the first group's shift (exact where the means are close, so
        // that the differences of the means keep their digits).
        let reference = moments[0].shift
        moments = moments.map { $0.reshifted(reference) }
        var grand = moments[0]
        for m in moments.dropFirst() { grand = grand.merged(m) }
        var between = 0.0, within = 0.0
        for m in moments {
            let d = m.shiftedMean - grand.shiftedMean
            between += m.count * d * d
            within += m.m2
        }
        let dfb = k - 1, dfw = total - k
        // Every group constant, or their squared deviations below the double range (scaled data
        // whose spread within groups is below 1e-300 of their values): as scipy's constant case.
        if moments.allSatisfy(\.isConstant) || within == 0 {
            if grand.isConstant || between == 0 {
                return Result(statistic: nil, pValue: nil, dfBetween: dfb, dfWithin: dfw,
                              warnings: [UndefinedValue.undefined(["statistic", "p_value"], "every value in every group is the same")])
            }
            return Result(statistic: nil, pValue: 0, dfBetween: dfb, dfWithin: dfw,
                          warnings: [UndefinedValue.infinite(["statistic"], "each group is constant and their values differ (no variance within groups); p_value is 0, as scipy")])
        }
        let f = (between / dfb) / (within / dfw)
        return Result(statistic: f, pValue: FisherF(dfn: dfb, dfd: dfw).sf(f), dfBetween: dfb, dfWithin: dfw, warnings: [])
    }
}
