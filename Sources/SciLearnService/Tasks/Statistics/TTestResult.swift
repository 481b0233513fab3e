import SciLearn

/// The result of the t-tests (`ttest_1samp`, `ttest_ind`, `ttest_rel`): scipy's `TtestResult`.
struct TTestResult: TaskResult {
    var statistic: Double?
    var pValue: Double?
    var df: Double
    var confidenceInterval: [Double?]
    var estimate: Double

    static let fields = [
        ResultFieldInfo("statistic", .number, nullable: true, "the t statistic (null when infinite or undefined: a sample with zero variance, with a warning)"),
        ResultFieldInfo("p_value", .number, nullable: true, "the p value of the alternative (null when undefined)"),
        ResultFieldInfo("df", .number, "the degrees of freedom (Welch-Satterthwaite's for equal_var false)"),
        ResultFieldInfo("confidence_interval", .numbers, nullable: true, "[lower, upper] of the estimate at confidence_level; the unbounded end of a one-sided alternative is null"),
        ResultFieldInfo("estimate", .number, "the mean (ttest_1samp), the difference of the means (ttest_ind), or the mean of a - b (ttest_rel)"),
    ]

    init(_ r: TTest.Result) {
        statistic = r.statistic
        pValue = r.pValue
        df = r.df
        confidenceInterval = HypothesisParams.interval(r.confidenceInterval)
        estimate = r.estimate
    }
}
