import SciLearn

/// `ttest_1samp`: the one-sample t-test, scipy.stats `ttest_1samp`.
enum TTestOneSampleTask {
    static let popmean = Param.number("popmean", default: 0, doc: "the mean under the null hypothesis")
    static let a = DataField.vector("a", doc: "the sample (at least 2 values)")

    static let declaration = TaskDeclaration(
        name: "ttest_1samp",
        summary: "The one-sample t-test of a mean, with its confidence interval, as scipy.stats ttest_1samp.",
        params: [popmean, HypothesisParams.alternative, HypothesisParams.confidenceLevel],
        data: [a],
        result: TTestResult.self
    ) { (input) throws(ServiceError) in
        let test = TTest(alternative: try input.read(HypothesisParams.alternative), confidenceLevel: try input.read(HypothesisParams.confidenceLevel))
        let mean = try input.read(popmean)
        let a = try input.read(Self.a)
        return PreparedJob(cost: HypothesisParams.cost(values: a.count, drivenBy: "a: \(a.count) values")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.oneSample(a, popmean: mean) }
            return try TaskOutput(TTestResult(r), warnings: r.warnings)
        }
    }
}
