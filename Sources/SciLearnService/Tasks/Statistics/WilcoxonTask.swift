import SciLearn

/// `wilcoxon`: the Wilcoxon signed-rank test, scipy.stats `wilcoxon`.
enum WilcoxonTask {
    static let zeroMethod = Param.choice("zero_method", default: WilcoxonSignedRank.ZeroMethod.wilcox, doc: "zero differences: \"wilcox\" (dropped), \"pratt\" (ranked, then dropped), \"zsplit\" (ranked, split between the signs)")
    static let correction = Param.bool("correction", default: false, doc: "the continuity correction of the normal approximation")
    static let method = Param.choice("method", default: WilcoxonSignedRank.Method.auto, doc: "\"exact\", \"asymptotic\", or \"auto\": asymptotic above 50 differences, exact without ties or zeros, else scipy's enumeration of all sign flips for at most 13 differences, else asymptotic")
    static let a = DataField.vector("a", doc: "the sample, or the first of the paired measurements")
    static let b = DataField.optionalVector("b", pairedWith: "a", doc: "the second paired measurements (as many as a); the test is then of a - b")

    static let declaration = TaskDeclaration(
        name: "wilcoxon",
        summary: "The Wilcoxon signed-rank test of one sample or of paired differences (exact, sign-flip enumeration or normal p value), as scipy.stats wilcoxon.",
        params: [HypothesisParams.alternative, zeroMethod, correction, method],
        data: [a, b],
        result: TestStatisticResult.self
    ) { (input) throws(ServiceError) in
        let test = WilcoxonSignedRank(alternative: try input.read(HypothesisParams.alternative), zeroMethod: try input.read(zeroMethod),
                                      correction: try input.read(correction), method: try input.read(method))
        let a = try input.read(Self.a), b = try input.read(Self.b)
        let n = Double(a.count)
        var cost = HypothesisParams.sortCost(values: 2 * a.count, copies: 4, drivenBy: "a: \(a.count) values")
        if test.method == .exact || (test.method == .auto && a.count <= 50) {
            // The exact distribution: n steps over up to n(n + 1)/2 + 1 probabilities, each a
            // dependent scalar step charged as 25 BLAS flops; the enumeration 2¹³ · 13 at most.
            cost.flops += 25 * n * n * (n + 1) + Double(1 << 13) * 13
            cost.memoryBytes += 16 * (n * (n + 1) / 2 + 1)
        }
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(a, b) }
            return try TaskOutput(TestStatisticResult(statistic: r.statistic, pValue: r.pValue), warnings: r.warnings)
        }
    }
}
