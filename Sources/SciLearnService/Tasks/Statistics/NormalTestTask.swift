import SciLearn

/// `normaltest`: D'Agostino and Pearson's test of normality, scipy.stats `normaltest`.
enum NormalTestTask {
    static let a = DataField.vector("a", doc: "the sample (at least 8 values)")

    static let declaration = TaskDeclaration(
        name: "normaltest",
        summary: "D'Agostino and Pearson's omnibus test of normality from the sample skewness and kurtosis, as scipy.stats normaltest.",
        params: [],
        data: [a],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let a = try input.read(Self.a)
        return PreparedJob(cost: HypothesisParams.cost(values: a.count, passes: 2, copies: 1, drivenBy: "a: \(a.count) values")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try NormalityTest.test(a) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
