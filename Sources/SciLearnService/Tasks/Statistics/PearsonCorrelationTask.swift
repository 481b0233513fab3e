import SciLearn

/// `pearsonr`: Pearson's correlation with its test and interval, scipy.stats `pearsonr`.
enum PearsonCorrelationTask {
    static let x = DataField.vector("x", doc: "the first variable (at least 2 values)")
    static let y = DataField.vector("y", pairedWith: "x", doc: "the second variable, paired with x")

    struct Result: TaskResult {
        var statistic: Double?
        var pValue: Double?
        var confidenceInterval: [Double?]

        static let fields = [
            ResultFieldInfo("statistic", .number, nullable: true, "Pearson's r (null when x or y is constant, with a warning)"),
            ResultFieldInfo("p_value", .number, nullable: true, "the exact p value under independent normal samples (null when undefined)"),
            ResultFieldInfo("confidence_interval", .numbers, nullable: true, "[lower, upper] of r by the Fisher transformation at confidence_level; [-1, 1] for 3 pairs or fewer"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "pearsonr",
        summary: "Pearson's correlation coefficient, its p value and its Fisher-z confidence interval, as scipy.stats pearsonr.",
        params: [HypothesisParams.alternative, HypothesisParams.confidenceLevel],
        data: [x, y],
        result: Result.self
    ) { (input) throws(ServiceError) in
        let test = PearsonCorrelation(alternative: try input.read(HypothesisParams.alternative), confidenceLevel: try input.read(HypothesisParams.confidenceLevel))
        let x = try input.read(Self.x), y = try input.read(Self.y)
        return PreparedJob(cost: HypothesisParams.cost(values: x.count + y.count, drivenBy: "x, y: \(x.count) pairs")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try test.test(x, y) }
            return try TaskOutput(Result(statistic: r.statistic, pValue: r.pValue, confidenceInterval: HypothesisParams.interval(r.confidenceInterval)), warnings: r.warnings)
        }
    }
}
