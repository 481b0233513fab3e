import SciLearn

/// `mannwhitneyu`: the Mann-Whitney U rank test, scipy.stats `mannwhitneyu`.
enum MannWhitneyUTask {
    static let useContinuity = Param.bool("use_continuity", default: true, doc: "the continuity correction of the normal approximation")
    static let method = Param.choice("method", default: MannWhitneyU.Method.auto, doc: "\"exact\" (the null distribution without ties), \"asymptotic\" (normal, tie-corrected), or \"auto\": exact when either sample has at most 8 values and there are no ties, as scipy")
    static let a = DataField.vector("a", doc: "the first sample (at least one value)")
    static let b = DataField.vector("b", doc: "the second sample (at least one value)")

    static let declaration = TaskDeclaration(
        name: "mannwhitneyu",
        summary: "The Mann-Whitney U rank test of two independent samples (U of the first sample; exact or tie-corrected normal p value), as scipy.stats mannwhitneyu.",
        params: [HypothesisParams.alternative, useContinuity, method],
        data: [a, b],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let test = MannWhitneyU(alternative: try input.read(HypothesisParams.alternative), useContinuity: try input.read(useContinuity), method: try input.read(method))
        let a = try input.read(Self.a), b = try input.read(Self.b)
        var cost = HypothesisParams.sortCost(values: a.count + b.count, copies: 3, drivenBy: "a, b: \(a.count + b.count) values")
        if test.method != .asymptotic && min(a.count, b.count) <= 8 || test.method == .exact {
            cost.flops += MannWhitneyDistribution.work(m: a.count, n: b.count)
            cost.memoryBytes += 8 * Double(min(a.count, b.count)) * Double(max(a.count, b.count)) / 2
        }
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(a, b) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
