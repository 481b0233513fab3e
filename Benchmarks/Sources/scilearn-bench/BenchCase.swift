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
        BenchCase(id: "W2-ridge", workload: "W1", run: ridge),
        BenchCase(id: "W3-logistic", workload: "W3", run: logistic),
        BenchCase(id: "W4-kmeans", workload: "W4", run: kmeans),
        BenchCase(id: "W4-kmeans++", workload: "W4", run: kmeansPlusPlus),
        BenchCase(id: "W4-lloyd", workload: "W4", run: lloyd),
        BenchCase(id: "W5-pca-full", workload: "W5", run: { try pca($0, .full) }),
        BenchCase(id: "W5-pca-covariance_eigh", workload: "W5", run: { try pca($0, .covarianceEigh) }),
        BenchCase(id: "W5-pca-randomized", workload: "W5", run: { try pca($0, .randomized) }),
        BenchCase(id: "W5-pca-auto", workload: "W5", run: { try pca($0, .auto) }),
        BenchCase(id: "W6-ttest_ind", workload: "W6", run: ttestInd),
        BenchCase(id: "W6-chi2_contingency", workload: "W6", run: chi2Contingency),
        BenchCase(id: "W6-pearsonr", workload: "W6", run: pearsonr),
        BenchCase(id: "W6-f_oneway", workload: "W6", run: fOneway),
        BenchCase(id: "W6-mannwhitneyu", workload: "W6", run: mannWhitneyU),
        // Beyond the protocol: the threading policy's measurement (Docs/benchmarks.md).
        BenchCase(id: "crossproduct-200000x500", workload: "", run: crossProduct),
    ]

    /// 200,000 × 500, deterministic, made in memory (the workload "" is synthetic).
    nonisolated(unsafe) static let crossProductData: Workload = {
        let n = 200_000, p = 500
        var v = [Double](repeating: 0, count: n * p)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for k in 0..<v.count {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            v[k] = Double(state >> 11) * 0x1p-53 - 0.5
        }
        let y = (0..<n).map { v[$0] + 0.25 * v[n + $0] }
        return Workload(synthetic: ["X": Matrix(rows: n, columns: p, columnMajor: v)], vectors: ["y": y])
    }()

    /// The centred cross products of 200,000 × 500 (the engine's blocked, split `dsyrk`,
    /// `TallRows.crossProduct`) and a 500 × 500 Cholesky: ridge on its normal-equations path.
    static func crossProduct(_ w: Workload) throws -> [String: Double] {
        let m = try Ridge(alpha: 1).fit(w.matrix("X"), w.vector("y"))
        return ["intercept": m.intercept, "coef0": m.coefficients[0]]
    }

    /// OLS fit with intercept (scikit-learn `LinearRegression().fit`). The fit computes the
    /// inference as well: it costs O(p³) next to the O(n·p²) factorisation.
    static func ols(_ w: Workload) throws -> [String: Double] {
        let m = try LinearRegression(fitIntercept: true).fit(w.matrix("X"), w.vector("y"))
        return ["intercept": m.intercept, "coef0": m.coefficients.first ?? 0]
    }

    /// Ridge with α = 1 and an intercept (scikit-learn `Ridge(alpha=1).fit`): W2 is W1's data.
    static func ridge(_ w: Workload) throws -> [String: Double] {
        let m = try Ridge(alpha: 1).fit(w.matrix("X"), w.vector("y"))
        return ["intercept": m.intercept, "coef0": m.coefficients.first ?? 0]
    }

    /// L2 logistic regression, C = 1, tol 1e-6, intercept (scikit-learn
    /// `LogisticRegression(C=1, tol=1e-6).fit`).
    static func logistic(_ w: Workload) throws -> [String: Double] {
        let m = try LogisticRegression(c: 1, tol: 1e-6).fit(w.matrix("X"), w.vector("y"))
        return ["intercept": m.intercepts[0], "coef0": m.coefficients[0, 0], "n_iter": Double(m.iterations),
                "hessians": Double(m.solverCounts.hessianEvaluations), "gradients": Double(m.solverCounts.gradientEvaluations)]
    }

    /// k-means, k = 16, k-means++, one run, 100 iterations at most, tol 0, seed 0 (scikit-learn
    /// `KMeans(16, n_init=1, max_iter=100, tol=0, random_state=0).fit`).
    static func kmeans(_ w: Workload) throws -> [String: Double] {
        let m = try KMeans(nClusters: 16, nInit: .count(1), maxIter: 100, tol: 0, seed: 0).fit(w.matrix("X"))
        return ["inertia": m.inertia, "n_iter": Double(m.iterations)]
    }

    /// The k-means++ seeding alone, k = 16 (scikit-learn `kmeans_plusplus(X, 16, random_state=0)`).
    static func kmeansPlusPlus(_ w: Workload) throws -> [String: Double] {
        let c = try KMeans.plusPlusCenters(w.matrix("X"), clusters: 16, seed: 0)
        return ["center00": c[0, 0]]
    }

    /// 100 Lloyd iterations (tol 0) from the first 16 rows of X as centres, as compare.py gives
    /// scikit-learn: `KMeans(16, init=X[:16], n_init=1, max_iter=100, tol=0).fit`, with the
    /// time per iteration in the metrics (the run's wall time / n_iter, set by the caller).
    static func lloyd(_ w: Workload) throws -> [String: Double] {
        let x = try w.matrix("X")
        var first = Matrix(rows: 16, columns: x.columns)
        for i in 0..<16 { for j in 0..<x.columns { first[i, j] = x[i, j] } }
        let m = try KMeans(nClusters: 16, initialization: .centers(first), maxIter: 100, tol: 0).fit(x)
        return ["inertia": m.inertia, "n_iter": Double(m.iterations)]
    }

    /// PCA, 20 components, seed 0 (scikit-learn `PCA(20, svd_solver=solver, random_state=0).fit`).
    static func pca(_ w: Workload, _ solver: PCA.Solver) throws -> [String: Double] {
        let m = try PCA(nComponents: .count(20), solver: solver, seed: 0).fit(w.matrix("X"))
        return ["explained_variance0": m.explainedVariance[0], "explained_variance19": m.explainedVariance[19],
                "noise_variance": m.noiseVariance, "component00": m.components[0, 0]]
    }

    /// Welch's t-test on 2 × 10⁷ (scipy `ttest_ind(a, b, equal_var=False)`).
    static func ttestInd(_ w: Workload) throws -> [String: Double] {
        let r = try TTest().independent(w.vector("ttest_a"), w.vector("ttest_b"), equalVariances: false)
        return ["statistic": r.statistic ?? .nan, "p_value": r.pValue ?? .nan, "df": r.df]
    }

    /// χ² test of independence of a 200 × 200 table (scipy `chi2_contingency(table)`).
    static func chi2Contingency(_ w: Workload) throws -> [String: Double] {
        let r = try ContingencyTable(correction: true).test(w.matrix("chi2_table"))
        return ["statistic": r.statistic, "p_value": r.pValue, "dof": Double(r.dof)]
    }

    /// Pearson's r on 10⁷ pairs (scipy `pearsonr(x, y)`).
    static func pearsonr(_ w: Workload) throws -> [String: Double] {
        let r = try PearsonCorrelation().test(w.vector("pearson_x"), w.vector("pearson_y"))
        return ["statistic": r.statistic ?? .nan, "p_value": r.pValue ?? .nan]
    }

    /// The Mann-Whitney U test on 2 × 10⁶ (scipy `mannwhitneyu(a, b, alternative="two-sided", method="auto")`).
    static func mannWhitneyU(_ w: Workload) throws -> [String: Double] {
        let r = try MannWhitneyU(alternative: .twoSided, method: .auto).test(w.vector("mwu_a"), w.vector("mwu_b"))
        return ["statistic": r.statistic, "p_value": r.pValue ?? .nan]
    }

    /// One-way ANOVA of 10 groups of 10⁶ (scipy `f_oneway(*groups)`).
    static func fOneway(_ w: Workload) throws -> [String: Double] {
        let r = try OneWayANOVA.test(w.rows("anova_groups"))
        return ["statistic": r.statistic ?? .nan, "p_value": r.pValue ?? .nan]
    }

    /// OLS with the full statsmodels inference (`OLS(y, add_constant(X)).fit()`, bse, pvalues, CI).
    static func olsInference(_ w: Workload) throws -> [String: Double] {
        let m = try LinearRegression(fitIntercept: true).fit(w.matrix("X"), w.vector("y"))
        return ["intercept": m.intercept, "r_squared": m.inference.rSquared ?? .nan,
                "bse0": m.inference.standardErrors[0] ?? .nan, "f_statistic": m.inference.fStatistic ?? .nan]
    }
}
