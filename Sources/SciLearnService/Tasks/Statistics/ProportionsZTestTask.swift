import SciLearn

/// `proportions_ztest`: the z-test of one or two proportions, statsmodels `proportions_ztest`.
enum ProportionsZTestTask {
    static let value = Param.optionalNumber("value", doc: "the proportion (one sample; required) or difference of proportions (two samples; 0 when null) under the null")
    static let propVar = Param.falseOrNumber("prop_var", rule: ProportionsZTest.Rules.propVar, doc: "false: the variance uses the sample (one sample) or pooled (two) proportion; a number in (0, 1): that proportion instead")
    static let count = DataField.vector("count", doc: "the successes: 1 number (one sample) or 2 (two samples)")
    static let nobs = DataField.vector("nobs", doc: "the trials: one per count, or one for both")

    static let declaration = TaskDeclaration(
        name: "proportions_ztest",
        summary: "The z-test of one proportion or of the difference of two (pooled variance), as statsmodels proportions_ztest.",
        params: [value, HypothesisParams.alternative, propVar],
        data: [count, nobs],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let test = ProportionsZTest(value: try input.read(value), alternative: try input.read(HypothesisParams.alternative), propVar: try input.read(propVar))
        let c = try input.read(count), n = try input.read(nobs)
        return PreparedJob(cost: HypothesisParams.cost(values: 4, drivenBy: "count")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(count: c, nobs: n) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
