import Foundation
import Testing
import SciLearn
import SciLearnTestSupport

/// The article's Swift code block is exactly the code `readmeExample` runs, and every code line
/// of the README's example is one of its lines: neither can drift from what compiles.
@Test(.ownThread(.computing)) func documentedExampleIsThisCode() throws {
    let root = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
    func code(_ text: String) -> [String] { text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    let (begin, end) = ("// BEGIN " + "getting-started", "// END " + "getting-started")   // not these lines
    let ran = code(String(test.components(separatedBy: begin)[1].components(separatedBy: end)[0]))
    let article = try String(contentsOf: root.appendingPathComponent("Sources/SciLearn/SciLearn.docc/GettingStarted.md"), encoding: .utf8)
    let blocks = article.components(separatedBy: "```swift\n").dropFirst().map { code($0.components(separatedBy: "```")[0]) }
    #expect(blocks.contains(ran), "GettingStarted.md must show the code readmeExample runs")
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    let readmeBlock = code(readme.components(separatedBy: "```swift\n")[1].components(separatedBy: "```")[0])
    let statements = readmeBlock.filter { !$0.hasPrefix(".package") && !$0.hasPrefix("import") && !$0.hasPrefix("//") }
    #expect(!statements.isEmpty)
    for line in statements { #expect(ran.contains(line), "README line not in the compiled example: \(line)") }
}

/// The getting-started article's example (Sources/SciLearn/SciLearn.docc/GettingStarted.md, and
/// the README's) compiles and runs as written: the lines between the markers are the article's
/// code block, which `documentedExampleIsThisCode` checks.
@Test(.ownThread(.computing)) func readmeExample() throws {
    // BEGIN getting-started
    let x = Matrix(rows: [[0, 3], [1, 4], [0, 8], [1, 9], [0, 2], [1, 6]])   // treatment, sessions
    let y = [25.1, 31.0, 34.2, 41.9, 23.5, 35.8]
    let model = try LinearRegression(fitIntercept: true).fit(x, y)
    let slopes = model.coefficients                  // as scikit-learn's coef_
    let pValues = model.inference.pValues            // as statsmodels' OLS(...).fit().pvalues
    let intervals = model.inference.confidenceIntervals  // conf_int(alpha = 0.05)
    let yHat = try model.predict(x)
    // END getting-started
    #expect(slopes.count == 2)
    #expect(pValues.count == 3)
    #expect(intervals.allSatisfy { $0 != nil })
    #expect(yHat.count == 6)
    // Metamorphic: the fitted values' residuals are orthogonal to every column and sum to zero.
    let r = zip(y, yHat).map { $0 - $1 }
    #expect(abs(r.reduce(0, +)) < 1e-12)
    for j in 0..<2 { #expect(abs((0..<6).reduce(0.0) { $0 + r[$1] * x[$1, j] }) < 1e-11) }
}

/// Duplicating every sample leaves the coefficients unchanged and doubles df_resid + rank.
@Test(.ownThread(.computing)) func duplicatedSamplesSameCoefficients() throws {
    let x = Matrix(rows: [[1, 0.5], [2, 1.7], [3, 2.2], [4, 4.1], [5, 4.4], [6, 6.6]])
    let y = [1.2, 2.1, 2.8, 4.5, 5.1, 6.3]
    let a = try LinearRegression().fit(x, y)
    let x2 = Matrix(rows: x.rowArrays + x.rowArrays)
    let b = try LinearRegression().fit(x2, y + y)
    for (u, v) in zip(a.coefficients, b.coefficients) { #expect(abs(u - v) <= 1e-12 * abs(u)) }
    #expect(b.inference.dfResid == 2 * a.inference.dfResid + 3)
}

/// A duplicated column is detected as rank-deficient, with a warning; no intercept and a
/// constant column in X gets statsmodels' centred R².
@Test(.ownThread(.computing)) func rankDeficiencyAndImplicitConstant() throws {
    let x = Matrix(rows: [[1, 1, 2], [2, 2, 1], [3, 3, 5], [4, 4, 3], [5, 5, 8]])
    let m = try LinearRegression().fit(x, [1, 2, 2.9, 4.2, 5.1])
    #expect(m.rank == 3)
    #expect(m.warnings.contains { $0.contains("rank deficient") })
    #expect(abs(m.coefficients[0] - m.coefficients[1]) < 1e-10, "minimum norm splits a duplicated column evenly")
    let withConst = Matrix(rows: [[1, 1], [1, 2], [1, 3], [1, 4]])
    let c = try LinearRegression(fitIntercept: false).fit(withConst, [2, 4.1, 5.9, 8.2])
    let centred = try LinearRegression(fitIntercept: true).fit(Matrix(rows: [[1], [2], [3], [4]]), [2, 4.1, 5.9, 8.2])
    #expect(abs(c.inference.rSquared! - centred.inference.rSquared!) < 1e-12)
    #expect(c.inference.dfModel == 1)
}

/// The linear-model family article's example (Sources/SciLearn/SciLearn.docc/LinearModelFamily.md)
/// compiles and runs as written: its code block is the code between the markers.
@Test(.ownThread(.computing)) func linearModelFamilyArticleExample() throws {
    // BEGIN linear-model-family
    let x = Matrix(rows: [[12.0, 5.1, 3.2], [30.5, 14.0, 7.7], [8.2, 3.9, 9.1], [22.1, 10.5, 2.4],
                          [17.4, 7.2, 6.0], [35.0, 15.8, 4.4], [5.5, 2.6, 8.3], [26.3, 11.1, 5.5]])
    let revenue = [98.0, 181.5, 92.4, 140.2, 121.7, 199.9, 71.3, 160.8]
    let ridge = try Ridge(alpha: 1).fit(x, revenue)
    let chosen = try RidgeCV(alphas: [0.01, 0.1, 1, 10]).fit(x, revenue)   // chosen.alpha, chosen.bestScore
    let sparse = try Lasso(alpha: 0.5).fit(x, revenue)                   // sparse.iterations, sparse.dualGap
    let path = try ElasticNet(l1Ratio: 0.5).path(x, revenue, alphas: [10, 1, 0.1])
    let converted = ["no", "yes", "no", "yes", "yes", "yes", "no", "no"]
    let logit = try LogisticRegression(penalty: .none).fit(x, converted)
    let pValues = logit.inference?.pValues                              // intercept first, as statsmodels
    let probabilities = try logit.probabilities(x)                      // n × 2, columns in logit.classes order
    let forecast = try ridge.predict(x)
    // END linear-model-family
    #expect([0.01, 0.1, 1, 10].contains(chosen.alpha))
    #expect(sparse.converged && path.count == 3)
    #expect(pValues?.count == 4)
    #expect(logit.classes == .strings(["no", "yes"]))
    #expect(probabilities.rows == 8 && probabilities.columns == 2)
    #expect(forecast.count == 8)
    #expect(try articleShowsTheCode(between: "linear-model-family", article: "LinearModelFamily.md"),
            "LinearModelFamily.md must show the code this test runs")
}

/// Whether the DocC article `article` has a Swift code block that is, line for line (indent
/// aside), the code of this file between `// BEGIN marker` and `// END marker`.
func articleShowsTheCode(between marker: String, article: String) throws -> Bool {
    let root = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
    func code(_ text: String) -> [String] { text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    let (begin, end) = ("// BEGIN " + marker, "// END " + marker)
    let ran = code(String(test.components(separatedBy: begin)[1].components(separatedBy: end)[0]))
    let text = try String(contentsOf: root.appendingPathComponent("Sources/SciLearn/SciLearn.docc/\(article)"), encoding: .utf8)
    let blocks = text.components(separatedBy: "```swift\n").dropFirst().map { code($0.components(separatedBy: "```")[0]) }
    return blocks.contains(ran)
}

/// The customer-segmentation article's example (Sources/SciLearn/SciLearn.docc/CustomerSegmentation.md)
/// compiles and runs as written: its code block is the code between the markers.
@Test(.ownThread(.computing)) func customerSegmentationArticleExample() throws {
    // BEGIN customer-segmentation
    // Annual spend (k$) and orders a year of fifteen customers.
    let raw = Matrix(rows: [[0.8, 1.5], [1.2, 2.5], [1.5, 1.8], [0.6, 2.2], [1.1, 1.1],
                            [4.8, 9.5], [5.5, 11.0], [6.1, 10.2], [4.2, 8.8], [5.0, 12.1],
                            [11.5, 3.2], [12.8, 4.1], [13.2, 5.0], [10.9, 3.8], [12.1, 2.9]])
    // Standardise each feature, keeping the means and deviations for new customers.
    let n = Double(raw.rows)
    let means = (0..<raw.columns).map { j in (0..<raw.rows).map { raw[$0, j] }.reduce(0, +) / n }
    let deviations = (0..<raw.columns).map { j in
        ((0..<raw.rows).map { (raw[$0, j] - means[j]) * (raw[$0, j] - means[j]) }.reduce(0, +) / n).squareRoot()
    }
    func scaled(_ m: Matrix) -> Matrix {
        var out = m
        for i in 0..<m.rows { for j in 0..<m.columns { out[i, j] = (m[i, j] - means[j]) / deviations[j] } }
        return out
    }
    let x = scaled(raw)
    // Inertia and silhouette for k = 2 to 5.
    var inertia: [Int: Double] = [:], silhouette: [Int: Double] = [:]
    for k in 2...5 {
        let model = try KMeans(nClusters: k, nInit: .count(10), seed: 0).fit(x)
        inertia[k] = model.inertia
        silhouette[k] = try Silhouette.score(x, labels: model.labels)
    }
    let best = silhouette.max { $0.value < $1.value }!.key          // 3 here
    let segments = try KMeans(nClusters: best, nInit: .count(10), seed: 0).fit(x)
    let sizes = segments.clusterSizes                                // customers per segment
    let newcomer = try segments.predict(scaled(Matrix(rows: [[5.2, 10.4]])))
    // END customer-segmentation
    #expect(best == 3)
    #expect(sizes == [5, 5, 5] || sizes.sorted() == [5, 5, 5])
    #expect(inertia[2]! > inertia[3]! && inertia[3]! > inertia[4]!)
    #expect(newcomer == [segments.labels[5]], "the newcomer joins the $5k, 10-orders segment")
    #expect(try articleShowsTheCode(between: "customer-segmentation", article: "CustomerSegmentation.md"),
            "CustomerSegmentation.md must show the code this test runs")
}

/// The PCA article's example (Sources/SciLearn/SciLearn.docc/ReducingDimensions.md) compiles and
/// runs as written: its code block is the code between the markers.
@Test(.ownThread(.computing)) func reducingDimensionsArticleExample() throws {
    // BEGIN reducing-dimensions
    // Visits, spend ($), tenure (months) and support tickets of twelve customers.
    let x = Matrix(rows: [[12, 340.5, 24, 1], [3, 45, 6, 4], [8, 210, 18, 2], [15, 410, 30, 0],
                          [1, 12.5, 2, 6], [6, 150, 12, 3], [10, 290, 20, 1], [4, 80, 9, 5],
                          [9, 260, 15, 2], [2, 30, 4, 5], [14, 380, 28, 1], [5, 95, 8, 4]])
    let all = try PCA().fit(x)
    var cumulative = 0.0
    let keep = all.explainedVarianceRatio.firstIndex { cumulative += $0; return cumulative >= 0.99 }! + 1
    let pca = try PCA(nComponents: .count(keep), whiten: true).fit(x)
    let projected = try pca.transform(x)                        // 12 × keep, unit variance each
    let segments = try KMeans(nClusters: 2, nInit: .count(10), seed: 0).fit(projected)
    let newcomer = try segments.predict(try pca.transform(Matrix(rows: [[13, 360, 26, 1]])))
    // END reducing-dimensions
    #expect(keep >= 1 && keep <= 4)
    #expect(projected.rows == 12 && projected.columns == keep)
    #expect(newcomer == [segments.labels[3]], "the newcomer joins the segment of the 15-visit, $410 customer")
    #expect(try articleShowsTheCode(between: "reducing-dimensions", article: "ReducingDimensions.md"),
            "ReducingDimensions.md must show the code this test runs")
}

/// The A/B-testing article's example (Sources/SciLearn/SciLearn.docc/ABTesting.md) compiles and
/// runs as written.
@Test(.ownThread(.computing)) func abTestingArticleExample() throws {
    // BEGIN ab-testing
    // Plan: 4% conversion today, 4.5% hoped for.
    let plan = try ProportionsSampleSize(alpha: 0.05, power: 0.8).solve(p1: 0.04, p2: 0.045)
    let perArm = plan.n1.rounded(.up)                                    // users in each arm
    // Conversion: 532 of 12,700 converted in A, 601 of 12,650 in B.
    let conversion = try ProportionsZTest().test(count: [532, 601], nobs: [12_700, 12_650])
    // Revenue per user (most users spend nothing): Welch's t-test.
    let a: [Double] = [0, 0, 12.5, 0, 48.0, 0, 0, 19.9, 0, 0, 75.5, 0, 0, 9.99, 0, 0]
    let b: [Double] = [0, 22.0, 0, 0, 61.5, 0, 14.2, 0, 0, 39.0, 0, 88.0, 0, 0, 12.0, 0]
    let revenue = try TTest().independent(a, b, equalVariances: false)
    // The same revenue by rank: robust to the long tail.
    let byRank = try MannWhitneyU().test(a, b)
    // Four variants against the control: Holm's correction.
    let corrected = try MultipleTesting(method: .holm, alpha: 0.05).correct([0.004, 0.031, 0.012, 0.47])
    // END ab-testing
    #expect(perArm == 25_531, "statsmodels: 25530.453 (Docs/examples/sample_size_proportions.response.json)")
    #expect(conversion.pValue! > 0 && conversion.pValue! < 0.1 && conversion.statistic! < 0)
    #expect(revenue.pValue! > 0.05 && revenue.df < 30 && revenue.confidenceInterval.lower! < 0)
    #expect(byRank.method == .asymptotic && byRank.pValue! > 0.05, "the zeros tie: the normal approximation with the tie correction")
    #expect(corrected.reject == [true, false, true, false], "Holm: 0.004 ≤ 0.05/4 and 0.012 ≤ 0.05/3; 0.031 > 0.05/2 stops")
    #expect(try articleShowsTheCode(between: "ab-testing", article: "ABTesting.md"), "ABTesting.md must show the code this test runs")
}
