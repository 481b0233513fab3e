import SciLearn

/// The params and pieces every hypothesis test shares, declared once: `alternative`,
/// `confidence_level`, and the cost of a pass over the samples.
enum HypothesisParams {
    static let alternative = Param.choice("alternative", default: Alternative.twoSided,
                                          doc: "the alternative hypothesis: \"two-sided\", \"less\" or \"greater\" (scipy's names)")
    static let confidenceLevel = Param.number("confidence_level", default: 0.95, rule: TTest.Rules.confidenceLevel,
                                              doc: "the level of confidence_interval")

    /// A pass (or `passes`) over `values` doubles allocating `copies` of them: the cost of a
    /// test on samples of that size.
    static func cost(values: Int, passes: Double = 1, copies: Double = 0, drivenBy: String) -> ComputeCost {
        ComputeCost(memoryBytes: 8 * copies * Double(values) + 4096, flops: 8 * passes * Double(values), drivenBy: drivenBy)
    }

    /// A test that sorts (ranks) its `values`: ⌈log₂ n⌉ passes of `perPass` each, holding
    /// `copies` of them.
    static func sortCost(values: Int, perPass: Double = 3, copies: Double, drivenBy: String) -> ComputeCost {
        cost(values: values, passes: perPass * Double(max(1, values.bitWidth - values.leadingZeroBitCount)), copies: copies, drivenBy: drivenBy)
    }

    /// `[lower, upper]` with nil for an unbounded end.
    static func interval(_ ci: ConfidenceInterval?) -> [Double?] { ci.map { [$0.lower, $0.upper] } ?? [nil, nil] }

    /// Runs an engine test, its errors mapped to the contract's.
    static func run<T>(_ body: () throws(SciLearnError) -> T) throws(ServiceError) -> T {
        do throws(SciLearnError) { return try body() } catch { throw ServiceError(error) }
    }
}
