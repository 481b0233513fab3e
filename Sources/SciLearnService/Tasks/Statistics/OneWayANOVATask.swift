import SciLearn

/// `f_oneway`: the one-way analysis of variance, scipy.stats `f_oneway`.
enum OneWayANOVATask {
    static let groups = DataField.samples("groups", doc: "the samples, one per group (at least 2 groups, each at least one value, more values than groups)")

    struct Result: TaskResult {
        var statistic: Double?
        var pValue: Double?
        var dfBetween: Double
        var dfWithin: Double

        static let fields = [
            ResultFieldInfo("statistic", .number, nullable: true, "the F statistic (null when every group is constant, with a warning)"),
            ResultFieldInfo("p_value", .number, nullable: true, "P(F ≥ statistic) (null when undefined)"),
            ResultFieldInfo("df_between", .number, "k - 1"),
            ResultFieldInfo("df_within", .number, "N - k"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "f_oneway",
        summary: "The one-way analysis of variance of k groups' means, as scipy.stats f_oneway.",
        params: [],
        data: [groups],
        result: Result.self
    ) { (input) throws(ServiceError) in
        let g = try input.read(groups)
        let n = g.reduce(0) { $0 + $1.count }
        return PreparedJob(cost: HypothesisParams.cost(values: n, drivenBy: "groups: \(g.count) groups, \(n) values")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try OneWayANOVA.test(g) }
            return try TaskOutput(Result(statistic: r.statistic, pValue: r.pValue, dfBetween: r.dfBetween, dfWithin: r.dfWithin), warnings: r.warnings)
        }
    }
}
