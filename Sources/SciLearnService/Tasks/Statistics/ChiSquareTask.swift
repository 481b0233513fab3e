import SciLearn

/// `chisquare`: Pearson's goodness-of-fit test, scipy.stats `chisquare`.
enum ChiSquareTask {
    static let ddof = Param.integer("ddof", default: 0, rule: ChiSquareTest.Rules.ddof, doc: "delta degrees of freedom: the p value uses k - 1 - ddof")
    static let fObs = DataField.vector("f_obs", doc: "the observed frequencies (non-negative, at least 2)")
    static let fExp = DataField.optionalVector("f_exp", pairedWith: "f_obs", doc: "the expected frequencies (positive, summing to f_obs's sum to a relative 1.5e-8); equal frequencies when absent")

    static let declaration = TaskDeclaration(
        name: "chisquare",
        summary: "Pearson's chi-squared goodness-of-fit test of observed against expected frequencies, as scipy.stats chisquare.",
        params: [ddof],
        data: [fObs, fExp],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let test = ChiSquareTest(ddof: try input.read(ddof))
        let observed = try input.read(fObs), expected = try input.read(fExp)
        return PreparedJob(cost: HypothesisParams.cost(values: 2 * observed.count, drivenBy: "f_obs: \(observed.count) values")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(observed: observed, expected: expected) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: [])
        }
    }
}
