import SciLearn

/// `kstest`: the one-sample Kolmogorov-Smirnov test against a normal distribution, scipy.stats
/// `kstest(a, "norm", args)`.
enum KSTestTask {
    /// The reference distributions `cdf` names.
    enum Reference: String, Sendable, CaseIterable {
        /// The normal distribution, `args` = [loc, scale].
        case norm
    }

    static let cdf = Param.choice("cdf", default: Reference.norm, doc: "the distribution tested against: \"norm\" (scipy.stats.norm with args [loc, scale])")
    static let args = Param.numbers("args", default: [0, 1], doc: "[loc, scale] of the distribution (scale > 0); estimating them from the same sample makes the test conservative, as in scipy")
    static let a = DataField.vector("a", doc: "the sample (at least one value)")

    static let declaration = TaskDeclaration(
        name: "kstest",
        summary: "The one-sample Kolmogorov-Smirnov test of a sample against a normal distribution (exact one- and two-sided p values), as scipy.stats kstest(a, \"norm\", args).",
        params: [cdf, args, HypothesisParams.alternative],
        data: [a],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        _ = try input.read(cdf)
        let args = try input.read(Self.args)
        guard args.count == 2 else {
            throw .params("args", "must be [loc, scale], two numbers, for \"norm\"; got \(args.count) number\(args.count == 1 ? "" : "s")")
        }
        guard args[1] > 0 else { throw .params("args[1]", "the scale must be > 0; got \(JSONWriter.number(args[1]))") }
        let test = KolmogorovSmirnovTest(distribution: Normal(loc: args[0], scale: args[1]), alternative: try input.read(HypothesisParams.alternative))
        let a = try input.read(Self.a)
        var cost = HypothesisParams.sortCost(values: a.count, copies: 3, drivenBy: "a: \(a.count) values")
        cost.flops += 25 * Double(a.count) + max(SmirnovDistribution.work(n: max(1, a.count)), KolmogorovDistribution.work(n: max(1, a.count)))
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(a) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: [])
        }
    }
}
