import SciLearn

/// `ttest_rel`: the paired t-test, scipy.stats `ttest_rel`.
enum TTestRelatedTask {
    static let a = DataField.vector("a", doc: "the first measurements (at least 2)")
    static let b = DataField.vector("b", pairedWith: "a", doc: "the paired second measurements, as many as a")

    static let declaration = TaskDeclaration(
        name: "ttest_rel",
        summary: "The paired t-test of a mean difference of 0, with its confidence interval, as scipy.stats ttest_rel.",
        params: [HypothesisParams.alternative, HypothesisParams.confidenceLevel],
        data: [a, b],
        result: TTestResult.self
    ) { (input) throws(ServiceError) in
        let test = TTest(alternative: try input.read(HypothesisParams.alternative), confidenceLevel: try input.read(HypothesisParams.confidenceLevel))
        let a = try input.read(Self.a), b = try input.read(Self.b)
        return PreparedJob(cost: HypothesisParams.cost(values: a.count + b.count, copies: 0.5, drivenBy: "a, b: \(a.count + b.count) values")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.related(a, b) }
            return try TaskOutput(TTestResult(r), warnings: r.warnings)
        }
    }
}
