import Foundation
import SciLearnTestSupport
import Testing
@testable import SciLearn

/// `PCA` against scikit-learn 1.9.1 (`Tests/Fixtures/pca.json`, from `generate.py pca`) for
/// every solver, on data with a clear spectral gap (tall and wide), `load_digits`,
/// `load_breast_cancer` (raw), offset data (column means 1e6) and a constant column.
///
/// Tolerances. Components: 1e-8 after the sign rule, except where the spectrum's gap makes
/// that unreachable in double precision: a component whose eigenvalue λᵢ lies within gᵢ of its
/// neighbours moves by up to about ε·λ₁/gᵢ under rounding (the Davis-Kahan bound), so it is held
/// to max(1e-8, 1e-13·λ₁/gᵢ), and not compared at all when that exceeds 1e-2 (tied variances,
/// as the constant pixels of `load_digits`: any rotation within the tie is as correct).
/// Explained variance: 1e-9 relative (plus 1e-13·λ₁ absolute, for the variances at rounding
/// level). Transformed rows: 1e-8 of the data's scale. The randomized solver starts from the
/// engine's generator, not NumPy's, so it is checked against the exact (full) answer, held to
/// 1e-6, or to twice scikit-learn's own worst randomized distance from the exact answer (ten
/// seeds) where the power iterations cannot converge further (`load_digits`, whose spectrum
/// decays slowly).
@Suite(.ownThread(.computing)) struct PCATests {
    struct Case: Decodable, CustomTestStringConvertible {
        let dataset: String
        let requested: Double?
        let svd_solver: String
        let chosen: String
        let components: [[Double]]
        let explained_variance: [Double]
        let explained_variance_ratio: [Double]
        let singular_values: [Double]
        let mean: [Double]
        let n_components: Int
        let noise_variance: Double
        let transformed: [[Double]]
        let inverse_transformed: [[Double]]
        let whitened: [[Double]]
        let whitened_inverse: [[Double]]
        let exact_components: [[Double]]?
        let exact_explained_variance: [Double]?
        let sklearn_distance_from_exact: [Double]?
        let sklearn_variance_error: [Double]?
        let sklearn_noise_error: Double?
        let exact_noise_variance: Double?
        let exact_singular_values: [Double]?
        let exact_explained_variance_ratio: [Double]?

        var testDescription: String { "\(dataset) n_components=\(requested.map { "\($0)" } ?? "null") \(svd_solver)" }

        var config: PCA {
            let count: PCA.Components = requested.map { $0 >= 1 ? .count(Int($0)) : .fraction($0) } ?? .all
            return PCA(nComponents: count, solver: PCA.Solver(rawValue: svd_solver)!)
        }
    }

    /// A dataset the generator does not store: `xorshift_design` (WideLogisticTests.data's X),
    /// its columns then scaled, exactly, by `column_scales`.
    struct Generated: Decodable {
        let rows: Int
        let columns: Int
        let seed: UInt64
        let column_scales: [Double]
    }

    struct File: Decodable {
        let rows_transformed: Int
        let datasets: [String: [[Double]]]
        let generated: [String: Generated]
        let cases: [Case]
    }

    static let file: File = try! JSONDecoder().decode(File.self, from: Fixtures.data("pca.json"))

    /// The generated datasets, rebuilt once (bit for bit the generator's).
    static let generatedRows: [String: [[Double]]] = file.generated.mapValues { g in
        let x = WideLogisticTests.data(n: g.rows, p: g.columns, seed: g.seed).0
        return (0..<g.rows).map { i in (0..<g.columns).map { j in x[i, j] * g.column_scales[j] } }
    }

    /// A dataset's rows, stored or generated.
    static func rows(_ dataset: String) -> [[Double]] { file.datasets[dataset] ?? generatedRows[dataset]! }

    /// The dataset's whole spectrum (explained variances), from its n_components=null full case
    /// (covariance_eigh's where the generator made no full one), followed by the zero variances
    /// of the directions beyond min(n, p) (wide data).
    static func spectrum(_ dataset: String) -> [Double] {
        let whole = file.cases.filter { $0.dataset == dataset && $0.requested == nil }
        let s = (whole.first { $0.svd_solver == "full" } ?? whole.first { $0.svd_solver == "covariance_eigh" }!).explained_variance
        return s + [Double](repeating: 0, count: rows(dataset)[0].count - s.count)
    }

    /// The tolerance of component i (nil: not determined, not compared) from the gaps of `spectrum`.
    static func componentTolerance(_ i: Int, spectrum s: [Double], floor: Double = 1e-8) -> Double? {
        var gap = Double.infinity
        if i > 0 { gap = min(gap, s[i - 1] - s[i]) }
        if i + 1 < s.count { gap = min(gap, s[i] - s[i + 1]) }
        let bound = max(floor, 1e-13 * s[0] / gap)
        return bound > 1e-2 ? nil : bound
    }

    static func x(_ c: Case) -> Matrix { Matrix(rows: rows(c.dataset)) }

    @Test(arguments: file.cases)
    func matchesScikitLearn(_ c: Case) throws {
        let x = Self.x(c)
        let model = try c.config.fit(x)
        let s = Self.spectrum(c.dataset)
        #expect(model.solver.rawValue == c.chosen)
        #expect(model.nComponents == c.n_components)
        guard model.nComponents == c.n_components else { return }
        let k = c.n_components, p = x.columns
        let randomized = c.chosen == "randomized"
        // The randomized solver is held to the exact answer, at twice scikit-learn's own worst
        // randomized error over ten seeds and over the case's components (at least 1e-6 for
        // components, 1e-9 relative for variances): its error is a random variable of the
        // start, and SciLearn's start is another generator's; the other solvers to
        // scikit-learn's answer.
        let reference = randomized ? c.exact_components! : c.components
        let variance = randomized ? c.exact_explained_variance! : c.explained_variance
        let singular = randomized ? c.exact_singular_values! : c.singular_values
        let ratio = randomized ? c.exact_explained_variance_ratio! : c.explained_variance_ratio
        let noise = randomized ? c.exact_noise_variance! : c.noise_variance
        var compared: [Int] = []
        var worst = 0.0
        for i in 0..<k {
            var tol = Self.componentTolerance(i, spectrum: s, floor: randomized ? 1e-6 : 1e-8)
            if randomized, let t = tol { tol = max(t, 2 * c.sklearn_distance_from_exact!.max()!) }
            guard let tol else { continue }
            compared.append(i)
            var d = 0.0
            for j in 0..<p { d = max(d, abs(model.components[i, j] - reference[i][j])) }
            worst = max(worst, d / tol)
            #expect(d <= tol, "component \(i): max deviation \(d) > \(tol)")
        }
        let scale = s[0], total = s.reduce(0, +)
        for i in 0..<k {
            let error = randomized ? 2 * c.sklearn_variance_error!.max()! : 0
            let tol = max(1e-9 * variance[i] + 1e-13 * scale, error)
            #expect(abs(model.explainedVariance[i] - variance[i]) <= tol, "explained_variance[\(i)]: \(model.explainedVariance[i]) vs \(variance[i])")
            // σ = √(λ·(n − 1)): dσ = dλ·(n − 1) / (2σ), and √ of the rounding floor near σ = 0.
            let sTol = max(tol * Double(x.rows - 1) / (2 * max(singular[i], 1e-300)), (tol * Double(x.rows - 1)).squareRoot())
            #expect(abs(model.singularValues[i] - singular[i]) <= min(sTol, max(1e-9 * singular[i], (tol * Double(x.rows - 1)).squareRoot())) + (randomized ? sTol : 0),
                    "singular_values[\(i)]: \(model.singularValues[i]) vs \(singular[i])")
            #expect(abs(model.explainedVarianceRatio[i] - ratio[i]) <= tol / total + 1e-9 * ratio[i], "explained_variance_ratio[\(i)]")
        }
        let noiseTol = max(1e-9 * noise + 1e-13 * scale * Double(p), randomized ? 2 * c.sklearn_noise_error! : 0)
        #expect(abs(model.noiseVariance - noise) <= noiseTol, "noise_variance: \(model.noiseVariance) vs \(noise)")
        for j in 0..<p { #expect(abs(model.mean[j] - c.mean[j]) <= 1e-14 * max(1, abs(c.mean[j])) * 10, "mean[\(j)]") }
        // Projections of the first rows, for the compared components (randomized: on data where
        // scikit-learn's randomized answer is the exact one to rounding).
        let head = Matrix(rows: Array(Self.rows(c.dataset).prefix(Self.file.rows_transformed)))
        let rows = head.rows
        let t = try model.transform(head)
        let dataScale = head.storage.map { abs($0 - (c.dataset == "offset" ? 1e6 : 0)) }.max()!
        if !randomized || (c.sklearn_distance_from_exact!.max()! < 1e-12) {
            for i in compared {
                let tol = 1e-8 * max(1, dataScale) * (Self.componentTolerance(i, spectrum: s, floor: 1e-8)! / 1e-8)
                for r in 0..<rows {
                    #expect(abs(t[r, i] - c.transformed[r][i]) <= tol, "transformed[\(r)][\(i)]: \(t[r, i]) vs \(c.transformed[r][i])")
                }
            }
            if compared.count == k {
                let back = try model.inverseTransform(t)
                for r in 0..<rows { for j in 0..<p {
                    #expect(abs(back[r, j] - c.inverse_transformed[r][j]) <= 1e-8 * max(1, dataScale) * 10, "inverse_transformed[\(r)][\(j)]")
                } }
                var whitenedConfig = c.config
                whitenedConfig.whiten = true
                let w = try whitenedConfig.fit(x)
                let tw = try w.transform(head)
                // Whitening divides by √λ: components of rounding-level variance (a constant
                // column's) whiten rounding noise and are not compared.
                for r in 0..<rows { for i in 0..<k where variance[i] > 1e-10 * scale {
                    let tol = 1e-8 * max(1, dataScale) * (Self.componentTolerance(i, spectrum: s, floor: 1e-8)! / 1e-8) / variance[i].squareRoot()
                    #expect(abs(tw[r, i] - c.whitened[r][i]) <= tol, "whitened[\(r)][\(i)]: \(tw[r, i]) vs \(c.whitened[r][i])")
                } }
                let wb = try w.inverseTransform(tw)
                for r in 0..<rows { for j in 0..<p {
                    #expect(abs(wb[r, j] - c.whitened_inverse[r][j]) <= 1e-8 * max(1, dataScale) * 10, "whitened_inverse[\(r)][\(j)]")
                } }
            }
        }
        print("PCA \(c.testDescription): \(compared.count) of \(k) components compared, worst deviation \(worst) of its tolerance")
    }
}

/// The randomized solver's two ways of making its power iterations (passes over X, or products
/// with the cross products `XcᵀXc` when those are cheaper) span the same subspace from the same
/// start, so on every tall randomized case of the fixtures they give the same components to the
/// rounding the spectrum's gaps allow (`componentTolerance`, floor 1e-12: measured within 1e-14; both ways are checked
/// against scikit-learn through `fit` above only by the way the shape picks) and the same
/// variances to 1e-12 of the largest.
@Test(.ownThread(.computing), arguments: PCATests.file.cases.filter { $0.chosen == "randomized" && $0.svd_solver == "randomized" })
func randomizedIterationsAgreeEitherWay(_ c: PCATests.Case) throws {
    let x = PCATests.x(c)
    guard x.rows >= x.columns else { return }
    let config = c.config
    let k = c.n_components, mean = try AccurateSum.columnMeans(x).map(\.value)  // the means `fit` uses
    let q = config.powerIterations(rows: x.rows, columns: x.columns, components: k)
    let passes = try config.randomized(x, mean: mean, components: k, iterations: q, onCrossProducts: false)
    let gram = try config.randomized(x, mean: mean, components: k, iterations: q, onCrossProducts: true)
    let s = PCATests.spectrum(c.dataset)
    var worst = 0.0
    for i in 0..<k {
        let dot = (0..<x.columns).reduce(0.0) { $0 + passes.directions[i, $1] * gram.directions[i, $1] }
        let sign: Double = dot < 0 ? -1 : 1
        let distance = (0..<x.columns).map { abs(passes.directions[i, $0] - sign * gram.directions[i, $0]) }.max()!
        if let tol = PCATests.componentTolerance(i, spectrum: s, floor: 1e-12) {
            #expect(distance <= tol, "\(c.testDescription): component \(i) differs by \(distance)")
            worst = max(worst, distance / tol)
        }
        #expect(abs(passes.explainedVariance[i] - gram.explainedVariance[i]) <= 1e-12 * passes.explainedVariance[0],
                "\(c.testDescription): variance \(i)")
    }
    #expect(abs(passes.totalVariance - gram.totalVariance) <= 1e-12 * passes.totalVariance)
    print("PCA randomized both ways \(c.testDescription): worst deviation \(worst) of its tolerance")
}

/// A fitted model round-trips through Codable; a decoded model whose counts disagree is refused
/// by the decoder, not left to fail in `transform`; an n_oversamples past Int's range is capped,
/// not overflowed.
@Test(.ownThread(.computing)) func pcaModelsDecodeOnlyWhenConsistent() throws {
    let x = Matrix(rows: [[2.5, 2.4, 1.0], [0.5, 0.7, 2.1], [2.2, 2.9, 0.9], [1.9, 2.2, 1.4], [3.1, 3.0, 0.2]])
    let model = try PCA(nComponents: .count(2)).fit(x)
    let data = try JSONEncoder().encode(model)
    #expect(try JSONDecoder().decode(PCA.Model.self, from: data) == model)
    var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    object["explainedVariance"] = [1.0]
    let bad = try JSONSerialization.data(withJSONObject: object)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(PCA.Model.self, from: bad) }
    let wide = try PCA(nComponents: .count(2), solver: .randomized, nOversamples: .max).fit(x)
    #expect(wide.nComponents == 2)
}

/// The randomized solver's choice between passes and cross products is made in doubles: an
/// `iterated_power` from a request (up to 2^53 through the service, `Int.max` through the API)
/// with l past 256 is priced as the huge job it is (then refused as too large), never an
/// integer overflow that would stop the process.
@Test func hugeIteratedPowerIsPricedNotOverflowed() {
    for q in [1 << 53, Int.max] {
        let cost = PCA.estimatedCost(rows: 257, columns: 257, components: 1, solver: .randomized, nOversamples: 1_000, iteratedPower: .count(q))
        #expect(cost.flops > 1e20)
        #expect(PCA.powerIterationsOnCrossProducts(rows: 257, columns: 257, oversampled: 257, iterations: q))
    }
}

/// covariance_eigh past 128 columns validates X and takes its means on the cross products' own
/// pass (`CentredProducts.crossProductsAndMeans`): a NaN or an infinity anywhere is named by
/// row and column as the validation pass names it for the other solvers; values whose squares
/// overflow get the same error as from the full solver; the means are the validation pass's
/// within one unit in the last place (both double-double sums, formed in different orders).
@Test(.ownThread(.computing)) func theFusedValidationNamesNonFiniteValues() throws {
    let x = Matrix(rows: PCATests.rows("wide_gram"))
    let p = x.columns
    #expect(p > 128, "the dataset reaches the wide Gram kernel")
    for (r, c, v) in [(17, 140, Double.nan), (250, 3, Double.infinity), (0, 0, -Double.infinity), (299, 77, Double.nan)] {
        var bad = x
        bad[r, c] = v
        for solver in [PCA.Solver.covarianceEigh, .full] {
            do {
                _ = try PCA(nComponents: .count(3), solver: solver).fit(bad)
                Issue.record("\(solver): a non-finite X[\(r)][\(c)] was accepted")
            } catch {
                #expect(error.kind == .invalidData && error.field == "X[\(r)][\(c)]", "\(solver): \(error)")
            }
        }
    }
    var huge = x
    for r in 0..<x.rows { huge[r, 5] = 1e200 * Double(r % 3 + 1) }
    var kinds: [SciLearnError.Kind?] = []
    for solver in [PCA.Solver.covarianceEigh, .full] {
        do { _ = try PCA(nComponents: .count(3), solver: solver).fit(huge); kinds.append(nil) } catch { kinds.append(error.kind) }
    }
    #expect(kinds[0] != nil && kinds[0] == kinds[1], "overflowing squares: \(kinds)")
    let fused = try PCA(nComponents: .count(3), solver: .covarianceEigh).fit(x).mean
    let validated = try Validation.finiteColumnMaximaAndMeans(x, name: "X").means.map(\.value)
    for j in 0..<p { #expect(abs(fused[j] - validated[j]) <= validated[j].ulp, "mean[\(j)]: \(fused[j]) vs \(validated[j])") }
}

/// Wide cross products in several blocks (``BlockedSum/rowsPerBlock(partialSize:rowWidth:rows:)``:
/// 16,384 rows a block here, 40,000 rows in three; 140,000 rows at p = 500 in eight blocks of
/// 17,500, the larger blocks W5's 200,000 × 500 takes (8 of 25,000)):
/// the same bits at one and two threads, a cancellation check every 16,384 rows giving the same
/// sums as one call of the kernel, and the same answers as the `full` solver (distinct column
/// scales: a clear spectral gap) within the tolerances PCA is held to.
@Test(.ownThread(.computing)) func wideCrossProductsInSeveralBlocks() throws {
    #expect(BlockedSum.blockCount(rows: 200_000, blockRows: CentredProducts.blockRows(rows: 200_000, columns: 500)) == 8)
    #expect(CentredProducts.blockRows(rows: 140_000, columns: 500) == 17_500)
    #expect(CentredProducts.blockRows(rows: 131_072, columns: 500) == 16_384, "mid-sized data keeps its blocks (and cores)")
    let n = 40_000, p = 130
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var values = [Double](repeating: 0, count: n * p)
    for j in 0..<p {
        let scale = j < 5 ? Double(32 >> j) : 1, offset = Double(j % 7) * 3 - 9
        for i in 0..<n {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            values[i + j * n] = offset + scale * (Double(state >> 11) / 9_007_199_254_740_992 - 0.5)
        }
    }
    let x = Matrix(rows: n, columns: p, columnMajor: values)
    #expect(BlockedSum.blockCount(rows: n, blockRows: CentredProducts.blockRows(rows: n, columns: p)) == 3)
    let pca = PCA(nComponents: .count(5), solver: .covarianceEigh)
    let one = try Parallelism.withThreadLimit(1) { try pca.fit(x) }
    let two = try Parallelism.withThreadLimit(2) { try pca.fit(x) }
    #expect(one == two, "bit for bit at one and two threads")
    let full = try PCA(nComponents: .count(5), solver: .full).fit(x)
    for k in 0..<5 {
        #expect(abs(two.explainedVariance[k] - full.explainedVariance[k]) <= 1e-9 * full.explainedVariance[k], "explained variance \(k)")
        for j in 0..<p { #expect(abs(two.components[k, j] - full.components[k, j]) <= 1e-8, "component \(k), \(j)") }
    }
    for j in 0..<p { #expect(abs(two.mean[j] - full.mean[j]) <= 4 * max(abs(full.mean[j]), 1).ulp, "mean \(j)") }
}
