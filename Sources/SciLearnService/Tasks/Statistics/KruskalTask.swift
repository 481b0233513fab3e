import SciLearn

/// `kruskal`: the Kruskal-Wallis H test, scipy.stats `kruskal`.
enum KruskalTask {
    static let groups = DataField.samples("groups", doc: "the samples, one per group (at least 2 groups, each at least 2 values)")

    static let declaration = TaskDeclaration(
        name: "kruskal",
        summary: "The Kruskal-Wallis H test that k groups come from one distribution (tie-corrected), as scipy.stats kruskal.",
        params: [],
        data: [groups],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let g = try input.read(groups)
        let n = g.reduce(0) { $0 + $1.count }
        let cost = HypothesisParams.sortCost(values: n, copies: 3, drivenBy: "groups: \(n) values")
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try KruskalWallis.test(g) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
