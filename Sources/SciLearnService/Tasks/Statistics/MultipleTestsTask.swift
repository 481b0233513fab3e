import SciLearn

/// `multipletests`: p value corrections, statsmodels `multipletests`.
enum MultipleTestsTask {
    static let method = Param.choice("method", default: MultipleTesting.Method.holm, doc: "\"holm\", \"bonferroni\", \"fdr_bh\" (Benjamini-Hochberg) or \"fdr_by\" (Benjamini-Yekutieli)")
    static let alpha = Param.number("alpha", default: 0.05, rule: MultipleTesting.Rules.alpha, doc: "the family-wise error rate (holm, bonferroni) or false discovery rate (fdr_bh, fdr_by)")
    static let pvals = DataField.vector("pvals", doc: "the p values to correct, each in [0, 1]")

    struct Result: TaskResult {
        var reject: [Bool]
        var pvalsCorrected: [Double]

        static let fields = [
            ResultFieldInfo("reject", .booleans, "whether each hypothesis is rejected at alpha, in the order of pvals"),
            ResultFieldInfo("pvals_corrected", .numbers, "the adjusted p values (at most 1), in the order of pvals"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "multipletests",
        summary: "Corrects p values for multiple tests (Holm, Bonferroni, Benjamini-Hochberg, Benjamini-Yekutieli), as statsmodels multipletests.",
        params: [method, alpha],
        data: [pvals],
        result: Result.self
    ) { (input) throws(ServiceError) in
        let correction = MultipleTesting(method: try input.read(method), alpha: try input.read(alpha))
        let p = try input.read(pvals)
        let cost = ComputeCost(memoryBytes: 64 * Double(p.count) + 4096, flops: 20 * Double(p.count) * Double(max(1, Int.bitWidth - p.count.leadingZeroBitCount)), drivenBy: "pvals: \(p.count) values")
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try correction.correct(p) }
            return try TaskOutput(Result(reject: r.reject, pvalsCorrected: r.pValuesCorrected), warnings: [])
        }
    }
}
