import SciLearn

/// `ttest_ind`: the two-sample t-test, Student's or Welch's, scipy.stats `ttest_ind`.
enum TTestIndependentTask {
    static let equalVar = Param.bool("equal_var", default: true, doc: "assume equal variances (Student's pooled test); false: Welch's test")
    static let a = DataField.vector("a", doc: "the first sample")
    static let b = DataField.vector("b", doc: "the second sample (Welch's test: each at least 2 values; Student's: at least 3 in all)")

    static let declaration = TaskDeclaration(
        name: "ttest_ind",
        summary: "The two-sample t-test of equal means (Student's or Welch's), with the confidence interval of mean(a) - mean(b), as scipy.stats ttest_ind.",
        params: [equalVar, HypothesisParams.alternative, HypothesisParams.confidenceLevel],
        data: [a, b],
        result: TTestResult.self
    ) { (input) throws(ServiceError) in
        let test = TTest(alternative: try input.read(HypothesisParams.alternative), confidenceLevel: try input.read(HypothesisParams.confidenceLevel))
        let equal = try input.read(equalVar)
        let a = try input.read(Self.a), b = try input.read(Self.b)
        return PreparedJob(cost: HypothesisParams.cost(values: a.count + b.count, drivenBy: "a, b: \(a.count + b.count) values")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.independent(a, b, equalVariances: equal) }
            return try TaskOutput(TTestResult(r), warnings: r.warnings)
        }
    }
}
