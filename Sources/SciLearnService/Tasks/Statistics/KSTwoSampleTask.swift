import SciLearn

/// `ks_2samp`: the two-sample Kolmogorov-Smirnov test, scipy.stats `ks_2samp`.
enum KSTwoSampleTask {
    static let method = Param.choice("method", default: KolmogorovSmirnovTwoSample.Method.auto, doc: "\"exact\" (the lattice-path distribution), \"asymp\" (the two-sided finite-n Kolmogorov distribution at n = round(mn/(m + n)), one-sided Hodges' approximation), or \"auto\": exact while neither sample has more than 10,000 values, as scipy")
    static let a = DataField.vector("a", doc: "the first sample (at least one value)")
    static let b = DataField.vector("b", doc: "the second sample (at least one value)")

    static let declaration = TaskDeclaration(
        name: "ks_2samp",
        summary: "The two-sample Kolmogorov-Smirnov test (the largest distance between the empirical distribution functions; exact or asymptotic p value), as scipy.stats ks_2samp.",
        params: [HypothesisParams.alternative, method],
        data: [a, b],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let test = KolmogorovSmirnovTwoSample(alternative: try input.read(HypothesisParams.alternative), method: try input.read(method))
        let a = try input.read(Self.a), b = try input.read(Self.b)
        // The radix sort holds its keys, its scratch and its output: three words a value.
        var cost = HypothesisParams.sortCost(values: a.count + b.count, copies: 3, drivenBy: "a, b: \(a.count) and \(b.count) values")
        if test.attemptsExact(a.count, b.count) {
            cost.flops += SmirnovLatticePaths.work(a.count, b.count)
            cost.memoryBytes += 8 * Double(min(a.count, b.count) + 1)
        }
        // The asymptotic two-sided distribution (also where the exact method gives way).
        // (Two empty samples are the engine's `invalid_data`; the estimate must not trap first.)
        cost.flops += KolmogorovDistribution.work(n: max(1, KolmogorovSmirnovTwoSample.asymptoticSize(a.count, b.count)))
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(a, b) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
