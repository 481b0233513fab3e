import SciLearn

/// `chi2_contingency`: the chi-squared test of independence, scipy.stats `chi2_contingency`.
enum ChiSquareContingencyTask {
    static let correction = Param.bool("correction", default: true, doc: "Yates' continuity correction when the table has one degree of freedom (2 × 2)")
    static let observed = DataField.counts("observed", integral: true, doc: "the r × c table of counts (whole numbers, no row or column of zeros)")

    struct Result: TaskResult {
        var statistic: Double
        var pValue: Double
        var dof: Int
        var expectedFreq: [[Double]]

        static let fields = [
            ResultFieldInfo("statistic", .number, "Σ (O - E)²/E, after Yates' correction when it applies"),
            ResultFieldInfo("p_value", .number, "P(χ²(dof) ≥ statistic); 1 when dof is 0"),
            ResultFieldInfo("dof", .integer, "the degrees of freedom, (r - 1)(c - 1)"),
            ResultFieldInfo("expected_freq", .numberRows, "the expected frequencies under independence, r rows of c numbers"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "chi2_contingency",
        summary: "The chi-squared test of independence of an r × c contingency table, with Yates' correction for 2 × 2, as scipy.stats chi2_contingency.",
        params: [correction],
        data: [observed],
        result: Result.self
    ) { (input) throws(ServiceError) in
        let test = ContingencyTable(correction: try input.read(correction))
        let table = try input.read(observed)
        let cells = table.rows * table.columns
        let cost = ComputeCost(memoryBytes: 56 * Double(cells) + 4096, flops: 10 * Double(cells), drivenBy: "observed: \(table.rows) × \(table.columns)")
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(table) }
            return try TaskOutput(Result(statistic: r.statistic, pValue: r.pValue, dof: r.dof, expectedFreq: r.expectedFrequencies.rowArrays), warnings: [])
        }
    }
}
