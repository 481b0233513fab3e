import SciLearn

/// `describe`: descriptive statistics per column, scipy.stats `describe`.
enum DescribeTask {
    static let ddof = Param.integer("ddof", default: 1, rule: Describe.Rules.ddof, doc: "delta degrees of freedom of the variance")
    static let x = DataField.optionalMatrix("X", doc: "n samples × p columns, each described (give X or a)")
    static let a = DataField.optionalVector("a", doc: "one sample (give X or a)")

    struct Result: TaskResult {
        var nobs: Int
        var min: [Double]
        var max: [Double]
        var mean: [Double]
        var variance: [Double?]
        var skewness: [Double?]
        var kurtosis: [Double?]

        static let fields = [
            ResultFieldInfo("nobs", .integer, "values per column"),
            ResultFieldInfo("min", .numbers, "the smallest value of each column"),
            ResultFieldInfo("max", .numbers, "the largest value of each column"),
            ResultFieldInfo("mean", .numbers, "the mean of each column"),
            ResultFieldInfo("variance", .numbers, nullable: true, "the variance of each column on n - ddof degrees of freedom (null when n ≤ ddof)"),
            ResultFieldInfo("skewness", .numbers, nullable: true, "the biased sample skewness of each column (null for a constant column)"),
            ResultFieldInfo("kurtosis", .numbers, nullable: true, "the biased excess (Fisher) kurtosis of each column (null for a constant column)"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "describe",
        summary: "Descriptive statistics of each column: count, min, max, mean, variance, skewness and excess kurtosis, as scipy.stats describe. Takes X or a (one column).",
        params: [ddof],
        data: [x, a],
        result: Result.self
    ) { (input) throws(ServiceError) in
        let config = Describe(ddof: try input.read(ddof))
        let matrix = try input.read(x), vector = try input.read(a)
        let m: Matrix
        switch (matrix, vector) {
        case (let mm?, nil): m = mm
        case (nil, let v?):
            guard !v.isEmpty else { throw .data("a", "is empty; at least one value is required") }
            m = Matrix(rows: v.count, columns: 1, columnMajor: v)
        case (nil, nil): throw .data("X", "is required (or a): the data to describe")
        case (_?, _?): throw .data("a", "is given with X; give one of them")
        }
        return PreparedJob(cost: HypothesisParams.cost(values: m.rows * m.columns, passes: 2, copies: vector == nil ? 0 : 1, drivenBy: "\(vector == nil ? "X" : "a"): \(m.rows) × \(m.columns)")) { () throws(ServiceError) in
            let r = try HypothesisParams.run { () throws(SciLearnError) in try config.describe(m) }
            // A variance of values near 1e200 is beyond a double: null, named by the seam's rule.
            var warnings = ResultWarnings(r.warnings)
            let variance = r.variance.map { v in v.flatMap { warnings.withinRange($0, "variance") } }
            return try TaskOutput(Result(nobs: r.nobs, min: r.minimum, max: r.maximum, mean: r.mean, variance: variance,
                                         skewness: r.skewness, kurtosis: r.kurtosis), warnings: warnings.all)
        }
    }
}
