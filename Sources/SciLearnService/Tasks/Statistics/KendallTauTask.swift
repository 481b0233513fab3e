import SciLearn

/// `kendalltau`: Kendall's τ-b, scipy.stats `kendalltau`.
enum KendallTauTask {
    static let x = DataField.vector("x", doc: "the first variable (at least 2 values)")
    static let y = DataField.vector("y", pairedWith: "x", doc: "the second variable, paired with x")

    static let declaration = TaskDeclaration(
        name: "kendalltau",
        summary: "Kendall's τ-b and its p value (exact for small samples without ties, as scipy's method auto), as scipy.stats kendalltau.",
        params: [HypothesisParams.alternative],
        data: [x, y],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let test = KendallTau(alternative: try input.read(HypothesisParams.alternative))
        let x = try input.read(Self.x), y = try input.read(Self.y)
        let n = x.count
        var cost = HypothesisParams.sortCost(values: 2 * n, perPass: 4, copies: 6, drivenBy: "x, y: \(n) pairs")
        // The exact recursion: at most n · n(n − 1)/4 when n ≤ 33, 2n beyond (one discordance).
        cost.flops += n <= 33 ? Double(n * n * n) : Double(4 * n)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(x, y) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
