import SciLearn

/// `sample_size_proportions`: the sizes of a two-proportion test for a given power,
/// statsmodels `NormalIndPower` with `proportion_effectsize`.
enum SampleSizeProportionsTask {
    static let p1 = Param.requiredNumber("p1", rule: ProportionsSampleSize.Rules.proportion, doc: "the first group's proportion, in (0, 1)")
    static let p2 = Param.requiredNumber("p2", rule: ParameterRule("p2", lower: .exclusive(0), upper: .exclusive(1)), doc: "the second group's proportion, in (0, 1), not p1")
    static let alpha = Param.number("alpha", default: 0.05, rule: ProportionsSampleSize.Rules.alpha, doc: "the significance level")
    static let power = Param.number("power", default: 0.8, rule: ProportionsSampleSize.Rules.power, doc: "the power wanted (above alpha)")
    static let ratio = Param.number("ratio", default: 1, rule: ProportionsSampleSize.Rules.ratio, doc: "n2 / n1")

    struct Result: TaskResult {
        var n1: Double
        var n2: Double

        static let fields = [
            ResultFieldInfo("n1", .number, "the first group's size, not rounded (round up to plan), as statsmodels solve_power's nobs1"),
            ResultFieldInfo("n2", .number, "the second group's size, n1 × ratio"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "sample_size_proportions",
        summary: "The group sizes at which a two-sample test of proportions reaches the power wanted, as statsmodels NormalIndPower with proportion_effectsize (solved to full precision). Takes no data.",
        params: [p1, p2, alpha, power, ratio, HypothesisParams.alternative],
        data: [],
        result: Result.self
    ) { (input) throws(ServiceError) in
        let plan = ProportionsSampleSize(alpha: try input.read(alpha), power: try input.read(power), ratio: try input.read(ratio),
                                         alternative: try input.read(HypothesisParams.alternative))
        let a = try input.read(p1), b = try input.read(p2)
        return PreparedJob(cost: ComputeCost(memoryBytes: 4096, flops: 1e4, drivenBy: "params")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try plan.solve(p1: a, p2: b) }
            return try TaskOutput(Result(n1: r.n1, n2: r.n2), warnings: [])
        }
    }
}
