import SciLearn

/// `spearmanr`: Spearman's rank correlation, scipy.stats `spearmanr`.
enum SpearmanTask {
    static let x = DataField.vector("x", doc: "the first variable (at least 3 values)")
    static let y = DataField.vector("y", pairedWith: "x", doc: "the second variable, paired with x")

    static let declaration = TaskDeclaration(
        name: "spearmanr",
        summary: "Spearman's rank correlation and its t-based p value, as scipy.stats spearmanr.",
        params: [HypothesisParams.alternative],
        data: [x, y],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let test = SpearmanCorrelation(alternative: try input.read(HypothesisParams.alternative))
        let x = try input.read(Self.x), y = try input.read(Self.y)
        let n = x.count + y.count
        let cost = HypothesisParams.sortCost(values: n, copies: 3, drivenBy: "x, y: \(x.count) pairs")
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(x, y) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
