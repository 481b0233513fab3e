import CKernels
import Foundation
import SciLearnTestSupport
import Testing
@testable import SciLearn

/// `KMeans` against scikit-learn 1.9.1 (`Tests/Fixtures/kmeans.json`, from `generate.py`): from
/// the same explicit centres, Lloyd's centres, labels, inertia and iteration count; from
/// k-means++, an inertia within 0.1% of scikit-learn's best of ten runs; bit-identical results
/// on one thread and two and on every kernel path; every bad input named.
@Suite(.ownThread(.computing)) struct KMeansTests {
    struct Dataset: Decodable {
        let X: [[Double]]
        let n_clusters: Int
        let true_labels: [Int]?
        let best_of_10_inertia: Double
        let best_labels: [Int]
        let silhouette_of_best: Double
    }

    struct Case: Decodable, CustomTestStringConvertible {
        struct Params: Decodable {
            let max_iter: Int?
            let tol: Double?
        }

        let dataset: String
        let variant: String
        let algorithm: String
        let init_: [[Double]]
        let params: Params
        let sample_weight: [Double]?
        let cluster_centers: [[Double]]
        let labels: [Int]
        let inertia: Double
        let n_iter: Int

        enum CodingKeys: String, CodingKey {
            case dataset, variant, algorithm, params, sample_weight, cluster_centers, labels, inertia, n_iter
            case init_ = "init"
        }

        var testDescription: String { "\(dataset) \(variant) (scikit-learn \(algorithm))" }
    }

    struct File: Decodable {
        let datasets: [String: Dataset]
        let cases: [Case]
    }

    static let file: File = try! JSONDecoder().decode(File.self, from: Fixtures.data("kmeans.json"))

    /// From scikit-learn's own initial centres: the same centres to 3e-14 of the data's scale (the
    /// data's scale: the sums differ from NumPy's only in rounding order), the same labels and
    /// iteration count, the inertia to 1e-14 relative (about 10× the worst measured, printed).
    /// scikit-learn's Elkan cases run SciLearn's Elkan, its Lloyd cases SciLearn's Lloyd (and
    /// each algorithm's numbers are the same, as scikit-learn's are).
    @Test(arguments: file.cases)
    func fromTheSameCentresLloydAndElkanMatchScikitLearn(_ c: Case) throws {
        let data = Self.file.datasets[c.dataset]!
        let x = Matrix(rows: data.X)
        let k = c.init_.count
        let config = KMeans(nClusters: k, initialization: .centers(Matrix(rows: c.init_)), maxIter: c.params.max_iter ?? 300,
                            tol: c.params.tol ?? 1e-4, algorithm: c.algorithm == "elkan" ? .elkan : .lloyd)
        let model = try config.fit(x, sampleWeight: c.sample_weight)
        let scale = data.X.joined().map(abs).max()!
        var worst = 0.0
        for i in 0..<k { for j in 0..<x.columns { worst = max(worst, abs(model.centers[i, j] - c.cluster_centers[i][j])) } }
        print("kmeans \(c.testDescription): centres within \(worst / scale) of the data scale, inertia within \(abs(model.inertia - c.inertia) / c.inertia)")
        // Measured worst: 2.7e-15 of the data scale (digits), 8.3e-16 relative inertia (weighted blobs).
        #expect(worst <= 3e-14 * scale, "centres differ by \(worst) (data scale \(scale))")
        #expect(model.labels == c.labels)
        #expect(model.iterations == c.n_iter)
        #expect(abs(model.inertia - c.inertia) <= 1e-14 * c.inertia, "inertia \(model.inertia) vs \(c.inertia)")
        #expect(model.clusterSizes.reduce(0, +) == x.rows)
    }

    /// k-means++ with n_init = 10: no worse than scikit-learn's best of ten by more than 0.1%;
    /// on the blobs, an adjusted Rand index of at least 0.99 against the true labels.
    @Test(arguments: ["blobs", "iris", "wine_scaled", "digits"])
    func kMeansPlusPlusIsAsGoodAsScikitLearnsBestOfTen(_ name: String) throws {
        let data = Self.file.datasets[name]!
        let model = try KMeans(nClusters: data.n_clusters, nInit: .count(10), seed: 0).fit(Matrix(rows: data.X))
        print("kmeans++ \(name): inertia \(model.inertia) vs scikit-learn's best of 10 \(data.best_of_10_inertia)")
        #expect(model.inertia <= data.best_of_10_inertia * 1.001, "inertia \(model.inertia) vs scikit-learn's best of 10 \(data.best_of_10_inertia)")
        if let truth = data.true_labels {
            let ari = Self.adjustedRandIndex(model.labels, truth)
            print("kmeans++ \(name): adjusted Rand index \(ari) against the true labels")
            #expect(ari >= 0.99, "ARI \(ari)")
        }
        #expect(try model.predict(Matrix(rows: data.X)) == model.labels, "predict on the training rows gives their labels")
    }

    /// The same result, bit for bit, with one thread or two and on every kernel path (generic,
    /// AVX2 + FMA, AVX-512), on data large enough to be split (n not a multiple of the 8-row
    /// tile; k not a multiple of the 4- or 8-centre tiles; d = 9 leaves a one-feature block of
    /// the AVX-512 sums' transposes, d = 20 the W4 shape's four).
    @Test(.serialized, arguments: [(40_003, 9, 7), (20_011, 20, 16)])
    func identicalOnEveryThreadCountAndKernelPath(_ shape: (Int, Int, Int)) throws {
        try KernelPathLock.holding {
            let (n, d, k) = shape
            var values = [Double](repeating: 0, count: n * d)
            var g = SeededGenerator(seed: 42)
            for i in 0..<n {
                let centre = Double(i % k)
                for j in 0..<d { values[i + j * n] = centre * Double(j + 1) + 2 * (g.nextUnit() - 0.5) }
            }
            let x = Matrix(rows: n, columns: d, columnMajor: values)
            // The kernel path is process-wide: the cases run one at a time (`.serialized`), and the
            // widest path this CPU has is what lifting the cap gives.
            let available = scilearn_set_kernel_level(2)
            var byAlgorithm: [KMeans.Model] = []
            for algorithm in KMeans.Algorithm.allCases {
                let config = KMeans(nClusters: k, nInit: .count(2), seed: 7, algorithm: algorithm)
                defer { _ = scilearn_set_kernel_level(2) }
                let reference = try Parallelism.withThreadLimit(1) { () throws(SciLearnError) in try config.fit(x) }
                byAlgorithm.append(reference)
                for level in 0...available {
                    _ = scilearn_set_kernel_level(Int32(level))
                    let two = try config.fit(x)
                    let one = try Parallelism.withThreadLimit(1) { () throws(SciLearnError) in try config.fit(x) }
                    #expect(two.centers.storage.map(\.bitPattern) == reference.centers.storage.map(\.bitPattern), "level \(level), 2 threads")
                    #expect(one.centers.storage.map(\.bitPattern) == reference.centers.storage.map(\.bitPattern), "level \(level), 1 thread")
                    #expect(two.labels == reference.labels && one.labels == reference.labels)
                    #expect(two.inertia.bitPattern == reference.inertia.bitPattern && one.inertia.bitPattern == reference.inertia.bitPattern)
                }
            }
            // Elkan reaches Lloyd's labels and iterations; its sums then add the same rows in the
            // same order (piece by piece, in row order), so its centres are Lloyd's bits.
            #expect(byAlgorithm[1].labels == byAlgorithm[0].labels && byAlgorithm[1].iterations == byAlgorithm[0].iterations)
            #expect(byAlgorithm[1].centers.storage.map(\.bitPattern) == byAlgorithm[0].centers.storage.map(\.bitPattern))
            #if arch(x86_64)
            #expect(available >= 1, "this machine's CPU has AVX2 + FMA: the vector path was compared")
            #endif
        }
    }

    /// Overlapping clusters, so that the labels settle over many passes and most of them move
    /// the changed rows between the running sums instead of summing every row (`CentreSums`):
    /// Lloyd and Elkan still give the same bits, on every kernel path and thread count, and the
    /// final centres are the plain means of their rows to rounding (a strictly converged fit:
    /// the last pass's labels are the final ones).
    @Test func movingPassesKeepTheSums() throws {
        let n = 6_007, d = 5, k = 6
        var g = SeededGenerator(seed: 9)
        var values = [Double](repeating: 0, count: n * d)
        for i in 0..<n {
            let centre = Double(i % k)
            for j in 0..<d { values[i + j * n] = 1e3 + centre * Double(j % 2 + 1) + 4 * (g.nextUnit() - 0.5) }
        }
        let x = Matrix(rows: n, columns: d, columnMajor: values)
        let start = Matrix(rows: (0..<k).map { i in (0..<d).map { values[i * 7 + $0 * n] } })
        // The runs themselves, for the count of moving passes.
        let data = try KMeansData(x, sampleWeight: nil, singlePrecision: KMeansData.singleCopyPays(rows: n), norms: false)
        let centred = try KMeans.centred(start, data: data, clusters: k)
        let config = { (a: KMeans.Algorithm) in KMeans(nClusters: k, initialization: .centers(start), maxIter: 300, tol: 0, algorithm: a) }
        let lloyd = try config(.lloyd).lloyd(data, centers: centred, tolerance: 0)
        let elkan = try config(.elkan).elkan(data, centers: centred, tolerance: 0)
        print("moving passes: Lloyd \(lloyd.movingPasses) of \(lloyd.iterations), Elkan \(elkan.movingPasses) of \(elkan.iterations)")
        #expect(lloyd.converged && lloyd.iterations >= 10 && lloyd.movingPasses >= lloyd.iterations / 2)
        #expect(elkan.movingPasses == lloyd.movingPasses && elkan.iterations == lloyd.iterations)
        #expect(elkan.centers.map(\.bitPattern) == lloyd.centers.map(\.bitPattern))
        try KernelPathLock.holding {
            let available = scilearn_set_kernel_level(2)
            defer { _ = scilearn_set_kernel_level(2) }
            let reference = try config(.lloyd).fit(x)
            for level in 0...available {
                _ = scilearn_set_kernel_level(Int32(level))
                for algorithm in KMeans.Algorithm.allCases {
                    let two = try config(algorithm).fit(x)
                    let one = try Parallelism.withThreadLimit(1) { () throws(SciLearnError) in try config(algorithm).fit(x) }
                    for m in [two, one] {
                        #expect(m.centers.storage.map(\.bitPattern) == reference.centers.storage.map(\.bitPattern), "level \(level), \(algorithm)")
                        #expect(m.labels == reference.labels && m.inertia.bitPattern == reference.inertia.bitPattern)
                    }
                }
            }
            // The centres against the means of their rows, formed directly.
            var worst = 0.0
            for c in 0..<k {
                let members = (0..<n).filter { reference.labels[$0] == c }
                for j in 0..<d {
                    let mean = members.reduce(0.0) { $0 + values[$1 + j * n] } / Double(members.count)
                    worst = max(worst, abs(reference.centers[c, j] - mean) / 1e3)
                }
            }
            print("moving passes: centres within \(worst) of the data's scale of their rows' means")
            #expect(worst <= 1e-13)
        }
    }

    @Test func badInputsAreNamed() throws {
        let x = Matrix(rows: [[1, 2], [3, 4], [5, 6]])
        func field(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let error as SciLearnError { return error.field } catch { return "not a SciLearnError: \(error)" }
        }
        #expect(field { _ = try KMeans(nClusters: 4).fit(x) } == "X")
        #expect(field { _ = try KMeans(nClusters: 0).fit(x) } == "n_clusters")
        #expect(field { _ = try KMeans(nClusters: 2, nInit: .count(0)).fit(x) } == "n_init")
        #expect(field { _ = try KMeans(nClusters: 2, maxIter: 0).fit(x) } == "max_iter")
        #expect(field { _ = try KMeans(nClusters: 2, tol: -1).fit(x) } == "tol")
        #expect(field { _ = try KMeans(nClusters: 2, tol: .nan).fit(x) } == "tol")
        #expect(field { _ = try KMeans(nClusters: 2, initialization: .centers(Matrix(rows: [[1, 2]]))).fit(x) } == "init")
        #expect(field { _ = try KMeans(nClusters: 2, initialization: .centers(Matrix(rows: [[1], [2]]))).fit(x) } == "init")
        #expect(field { _ = try KMeans(nClusters: 2, initialization: .centers(Matrix(rows: [[1, 2], [.nan, 1]]))).fit(x) } == "init[1][0]")
        #expect(field { _ = try KMeans(nClusters: 2).fit(Matrix(rows: [[1, 2], [.infinity, 4], [5, 6]])) } == "X[1][0]")
        #expect(field { _ = try KMeans(nClusters: 1).fit(Matrix(rows: 3, columns: 0)) } == "X")
        #expect(field { _ = try KMeans(nClusters: 1).fit(Matrix(rows: 0, columns: 2)) } == "X")
        #expect(field { _ = try KMeans(nClusters: 2).fit(x, sampleWeight: [1, -1, 1]) } == "sample_weight[1]")
        #expect(field { _ = try KMeans(nClusters: 2).fit(x, sampleWeight: [1, 1]) } == "sample_weight")
        #expect(field { _ = try KMeans(nClusters: 2, initialization: .random).fit(x, sampleWeight: [1, 0, 0]) } == "sample_weight")
        #expect(field { _ = try KMeans.nearestCenters(Matrix(rows: [[1, 2, 3]]), centers: Matrix(rows: [[1, 2]])) } == "X")
    }

    /// A constant X, and fewer distinct rows than clusters: a result with a warning naming
    /// `labels` (scikit-learn's ConvergenceWarning), never a crash or a hang.
    @Test(arguments: [KMeans.Initialization.kMeansPlusPlus, .random])
    func duplicateRowsGiveAWarning(_ initialization: KMeans.Initialization) throws {
        let constant = Matrix(rows: Array(repeating: [2.0, 3.0], count: 20))
        let m = try KMeans(nClusters: 3, initialization: initialization).fit(constant)
        #expect(m.inertia == 0)
        #expect(m.warnings.contains { $0.hasPrefix("labels:") })
        let twoPoints = Matrix(rows: (0..<10).map { [Double($0 % 2), 1.0] })
        let m2 = try KMeans(nClusters: 4, initialization: initialization).fit(twoPoints)
        #expect(m2.inertia == 0)
        #expect(Set(m2.labels).count == 2)
        #expect(m2.warnings.contains { $0.contains("only 2 distinct clusters") })
    }

    @Test func theSameSeedGivesTheSameFitAndAnotherSeedMayNot() throws {
        let data = Self.file.datasets["digits"]!
        let x = Matrix(rows: data.X)
        let a = try KMeans(nClusters: 10, seed: 5).fit(x)
        let b = try KMeans(nClusters: 10, seed: 5).fit(x)
        #expect(a == b)
        let c = try KMeans(nClusters: 10, initialization: .random, seed: 6).fit(x)
        #expect(c.iterations >= 1 && c.clusterSizes.count == 10)
        // The seed is used: another one starts elsewhere and ends in other centres on digits.
        let other = try KMeans(nClusters: 10, seed: 6).fit(x)
        #expect(other.centers != a.centers)
    }

    /// The silhouette of scikit-learn's own labels, on every row, as `silhouette_score`
    /// (measured worst printed; distances summed in a different order than scikit-learn's
    /// pairwise matrix); a sample gives a nearby score, and bad inputs are named.
    @Test(arguments: ["blobs", "iris", "wine_scaled", "digits"])
    func silhouetteMatchesScikitLearn(_ name: String) throws {
        let data = Self.file.datasets[name]!
        let x = Matrix(rows: data.X)
        let s = try Silhouette.score(x, labels: data.best_labels)
        print("silhouette \(name): \(s) vs scikit-learn \(data.silhouette_of_best), relative \(abs(s - data.silhouette_of_best) / data.silhouette_of_best)")
        // Measured worst 6.1e-16 relative (iris, digits).
        #expect(abs(s - data.silhouette_of_best) <= 6e-15 * abs(data.silhouette_of_best))
        let sampled = try Silhouette.score(x, labels: data.best_labels, sampleSize: x.rows / 2, seed: 1)
        #expect(abs(sampled - s) < 0.05, "a half sample's score \(sampled) is near the full \(s)")
    }

    @Test func silhouetteRefusesWhatScikitLearnRefuses() throws {
        let x = Matrix(rows: [[1, 2], [3, 4], [5, 6], [7, 8]])
        func field(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let error as SciLearnError { return error.field } catch { return "\(error)" }
        }
        #expect(field { _ = try Silhouette.score(x, labels: [0, 0, 0, 0]) } == "labels")
        #expect(field { _ = try Silhouette.score(x, labels: [0, 1, 2, 3]) } == "labels")
        #expect(field { _ = try Silhouette.score(x, labels: [0, 1]) } == "labels")
        #expect(field { _ = try Silhouette.score(x, labels: [0, 1, 0, 1], sampleSize: 1) } == "sample_size")
        // Rows 0 and 3: a = √8, b = 2.5·√8, s = 0.6; rows 1 and 2: b = 1.5·√8, s = 1/3.
        #expect(abs(try Silhouette.score(x, labels: [0, 0, 1, 1]) - 7.0 / 15) < 1e-15)
    }

    /// The adjusted Rand index (Hubert and Arabie), as scikit-learn's `adjusted_rand_score`.
    static func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
        var table: [[Int]: Int] = [:], rows: [Int: Int] = [:], cols: [Int: Int] = [:]
        for (u, v) in zip(a, b) {
            table[[u, v], default: 0] += 1
            rows[u, default: 0] += 1
            cols[v, default: 0] += 1
        }
        func pairs(_ m: Int) -> Double { Double(m) * Double(m - 1) / 2 }
        let index = table.values.map(pairs).reduce(0, +)
        let sa = rows.values.map(pairs).reduce(0, +), sb = cols.values.map(pairs).reduce(0, +)
        let expected = sa * sb / pairs(a.count)
        let maximum = (sa + sb) / 2
        return (index - expected) / (maximum - expected)
    }
}
