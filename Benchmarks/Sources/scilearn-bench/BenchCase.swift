import SciLearn

/// One case of the side-by-side protocol: the workload folder it reads and the computation it
/// times. Cases not listed answer `skipped`.
struct BenchCase {
    let id: String
    let workload: String
    /// Runs the computation once on loaded arrays and returns the metrics to report.
    let run: (Workload) throws -> [String: Double]

    nonisolated(unsafe) static let all: [BenchCase] = [
        BenchCase(id: "W1-ols", workload: "W1", run: ols),
        BenchCase(id: "W1-ols-inference", workload: "W1", run: olsInference),
        BenchCase(id: "W7-ols-inference", workload: "W7", run: olsInference),
    ]

    /// OLS fit with intercept (scikit-learn `LinearRegression().fit`). The fit computes the
    /// inference as well: it costs O(p³) next to the O(n·p²) factorisation.
    static func ols(_ w: Workload) throws -> [String: Double] {
        let m = try LinearRegression(fitIntercept: true).fit(w.matrix("X"), w.vector("y"))
        return ["intercept": m.intercept, "coef0": m.coefficients.first ?? 0]
    }

    /// OLS with the full statsmodels inference (`OLS(y, add_constant(X)).fit()`, bse, pvalues, CI).
    static func olsInference(_ w: Workload) throws -> [String: Double] {
        let m = try LinearRegression(fitIntercept: true).fit(w.matrix("X"), w.vector("y"))
        return ["intercept": m.intercept, "r_squared": m.inference.rSquared ?? .nan,
                "bse0": m.inference.standardErrors[0] ?? .nan, "f_statistic": m.inference.fStatistic ?? .nan]
    }
}
