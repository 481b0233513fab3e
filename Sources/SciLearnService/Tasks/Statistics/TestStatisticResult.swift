/// The result of a test that reports a statistic and a p value only (`chisquare`,
/// `fisher_exact`, `proportions_ztest`).
struct TestStatisticResult: TaskResult {
    var statistic: Double?
    var pValue: Double?

    /// The declared fields, with `statistic` described per task.
    static let fields = [
        ResultFieldInfo("statistic", .number, nullable: true, "the test statistic (null when infinite or undefined, with a warning)"),
        ResultFieldInfo("p_value", .number, nullable: true, "the p value (null when undefined, with a warning)"),
    ]
}
