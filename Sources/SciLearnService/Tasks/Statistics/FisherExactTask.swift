import SciLearn

/// `fisher_exact`: Fisher's exact test of a 2 × 2 table, scipy.stats `fisher_exact`.
enum FisherExactTask {
    static let table = DataField.counts("table", integral: true, doc: "the 2 × 2 table of counts [[a, b], [c, d]] (whole numbers)")

    static let declaration = TaskDeclaration(
        name: "fisher_exact",
        summary: "Fisher's exact test of a 2 × 2 table: the sample odds ratio (statistic) and the exact conditional p value, as scipy.stats fisher_exact.",
        params: [HypothesisParams.alternative],
        data: [table],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let test = FisherExact(alternative: try input.read(HypothesisParams.alternative))
        let m = try input.read(table)
        guard m.rows == 2, m.columns == 2 else {
            throw .data("table", "must be a 2 × 2 table; got \(m.rows) × \(m.columns) (chi2_contingency tests larger tables)")
        }
        let rows = m.rowArrays
        try HypothesisParams.run { () throws(SciLearnError) in try FisherExact.validate(rows) }
        let work = FisherExact.work(rows.flatMap { $0 })
        return PreparedJob(cost: ComputeCost(memoryBytes: 4096, flops: 20 * work, drivenBy: "table: counts summing to \(JSONWriter.number(rows.flatMap { $0 }.reduce(0, +)))")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(rows) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
