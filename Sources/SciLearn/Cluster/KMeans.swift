import Foundation

/// k-means clustering: minimises the within-cluster sum of squared distances (the inertia)
/// Σᵢ wᵢ‖xᵢ − c_{l(i)}‖² by Lloyd's iterations from k-means++ (or random, or given) centres,
/// keeping the best of `n_init` runs; Elkan's bounded variant reaches the same result.
///
/// Matches scikit-learn `KMeans(n_clusters, init, n_init, max_iter, tol, algorithm)`:
/// the greedy k-means++ seeding (2 + ⌊ln k⌋ local trials per centre, the candidate that most
/// lowers the potential kept), `n_init="auto"` (1 run for k-means++ and for given centres, 10
/// for random), the relative `tol` (on the summed squared centre shift, scaled by the mean
/// feature variance), the strict-convergence rule (labels unchanged), empty clusters re-seeded
/// from the rows farthest from their centres, and the final assignment to the final centres.
/// From the same initial centres it reaches scikit-learn's centres and labels; from k-means++
/// its seeds come from the engine's ``SeededGenerator``, not NumPy's, so a seed gives the same
/// result on every machine and thread count, and scikit-learn's result only in quality.
///
/// - Complexity: per run, 2·n·k·d flops for each Lloyd iteration (one fused pass over X,
///   `LloydPass`) and about 2·n·d·k·(2 + ln k) for k-means++; memory a centred copy of X
///   (8·n·d bytes; Lloyd on AVX2 hosts without AVX-512, n ≥ 4,096, also its single-precision
///   copy and row norms, 4·n·(d + 1)) and O(n + k·d) besides (Elkan: n·k doubles of bounds more).
///   ``estimatedCost(rows:columns:clusters:maxIter:runs:algorithm:)``.
public struct KMeans: Sendable, Codable, Equatable {
    /// The range of each numeric parameter, checked by ``validate()`` and stated by the service.
    public enum Rules {
        /// `n_clusters >= 1` (and at most the number of rows, checked by ``fit(_:sampleWeight:)``).
        public static let nClusters = ParameterRule.count("n_clusters", atLeast: 1)
        /// `n_init >= 1`.
        public static let nInit = ParameterRule.count("n_init", atLeast: 1)
        /// `max_iter >= 1`.
        public static let maxIter = ParameterRule.count("max_iter", atLeast: 1)
        /// `tol >= 0`.
        public static let tol = ParameterRule.atLeast("tol", 0)
        /// The service's `random_state`: an integer in [0, 2³² − 1], as scikit-learn accepts
        /// (the Swift API's ``KMeans/seed`` takes any `UInt64`).
        public static let randomState = ParameterRule.randomState
    }

    /// Where the first centres come from.
    public enum Initialization: Sendable, Codable, Equatable {
        /// scikit-learn's greedy k-means++.
        case kMeansPlusPlus
        /// k distinct rows drawn at random (weighted by the sample weights).
        case random
        /// These centres (k × d), as given.
        case centers(Matrix)
    }

    /// How each run iterates: the same centres and labels either way, at different costs.
    public enum Algorithm: String, Sendable, Codable, Equatable, CaseIterable {
        /// Lloyd's iterations: every row against every centre each pass (one vectorised pass
        /// over X, with the sums; once few labels change, over X's single-precision copy on
        /// AVX2 hosts, the changed rows then moved between the sums). The fastest for few clusters.
        case lloyd
        /// Elkan's triangle-inequality bounds: most distances skipped once the centres settle;
        /// n·k doubles of bounds. For many clusters on well-separated data.
        case elkan
    }

    /// How many runs, each from its own initial centres; the one with the lowest inertia is kept.
    public enum Runs: Sendable, Codable, Equatable {
        /// scikit-learn's `"auto"`: 1 for k-means++ and for given centres, 10 for random.
        case auto
        /// This many (``Rules/nInit``); given centres always make one run, with a warning.
        case count(Int)
    }

    /// The number of clusters k (``Rules/nClusters``). Default 8.
    public var nClusters: Int
    /// The initial centres. Default k-means++.
    public var initialization: Initialization
    /// The number of runs. Default `.auto`.
    public var nInit: Runs
    /// The most Lloyd iterations per run (``Rules/maxIter``). Default 300.
    public var maxIter: Int
    /// The relative tolerance on the squared centre shift (``Rules/tol``). Default 1e-4.
    public var tol: Double
    /// The seed of the ``SeededGenerator`` the initial centres are drawn with. Default 0.
    public var seed: UInt64
    /// Lloyd's or Elkan's iterations. Default `.lloyd`.
    public var algorithm: Algorithm

    /// A configuration; ranges are checked by ``fit(_:sampleWeight:)``.
    public init(nClusters: Int = 8, initialization: Initialization = .kMeansPlusPlus, nInit: Runs = .auto,
                maxIter: Int = 300, tol: Double = 1e-4, seed: UInt64 = 0, algorithm: Algorithm = .lloyd) {
        self.algorithm = algorithm
        self.nClusters = nClusters
        self.initialization = initialization
        self.nInit = nInit
        self.maxIter = maxIter
        self.tol = tol
        self.seed = seed
    }

    /// Checks every parameter against its ``Rules``.
    public func validate() throws(SciLearnError) {
        try Rules.nClusters.check(nClusters)
        if case .count(let runs) = nInit { try Rules.nInit.check(runs) }
        try Rules.maxIter.check(maxIter)
        try Rules.tol.check(tol)
    }

    /// The number of runs a fit makes (`n_init` resolved: given centres make one).
    public var runs: Int {
        switch (nInit, initialization) {
        case (_, .centers): 1
        case (.count(let r), _): r
        case (.auto, .random): 10
        case (.auto, _): 1
        }
    }

    /// Clusters the rows of `x` (n × d), each weighted by `sampleWeight` (all 1 when nil).
    ///
    /// - Throws: `invalidParameter` (a range, `init` centres of the wrong shape or not finite),
    ///   `invalidData` (`X` empty, not finite or with fewer rows than `n_clusters`,
    ///   `sample_weight`), `numericalFailure` (distances overflow), `cancelled`.
    public func fit(_ x: Matrix, sampleWeight: [Double]? = nil) throws(SciLearnError) -> Model {
        BLASThreading.pinSingleThreaded()
        try validate()
        var seeded = false
        if case .kMeansPlusPlus = initialization { seeded = true }
        let data = try KMeansData(x, sampleWeight: sampleWeight, singlePrecision: algorithm == .lloyd && KMeansData.singleCopyPays(rows: x.rows),
                                  norms: seeded)
        let n = data.rows, k = nClusters
        guard k <= n else { throw Self.tooFewRows(n, k) }
        var given: [Double]? = nil
        if case .centers(let c) = initialization { given = try Self.centred(c, data: data, clusters: k) }
        if case .random = initialization, let positive = data.weights?.count(where: { $0 > 0 }), positive < k {
            throw .invalidData("sample_weight", "has fewer rows of positive weight (\(positive)) than n_clusters (\(k)) for random init")
        }
        var warnings: [String] = []
        if given != nil, case .count(let r) = nInit, r != 1 {
            warnings.append("init: explicit initial centres were given, so one run was made instead of n_init=\(r) (as scikit-learn)")
        }
        // (tol = 0 needs no scale: one pass over X saved.)
        let tolerance = tol == 0 ? 0 : tol * (try data.meanVariance())
        var generator = SeededGenerator(seed: seed)
        var best: Run? = nil
        for _ in 0..<runs {
            try CancellationToken.check()
            let start: [Double]
            if let given {
                start = given
            } else if case .random = initialization {
                start = Self.randomRows(data, clusters: k, generator: &generator)
            } else {
                start = try Self.kMeansPlusPlus(data, clusters: k, generator: &generator)
            }
            let run = algorithm == .elkan ? try elkan(data, centers: start, tolerance: tolerance) : try lloyd(data, centers: start, tolerance: tolerance)
            if best == nil || run.inertia < best!.inertia { best = run }
        }
        let run = best!
        let (sizes, distinct) = try KMeansData.clusterSizes(run.labels, clusters: k, inertia: run.inertia)
        if distinct < k {
            warnings.append("labels: only \(distinct) distinct clusters were found, fewer than n_clusters (\(k)); possibly duplicate points in X (scikit-learn's ConvergenceWarning)")
        }
        if !run.converged {
            warnings.append("n_iter: max_iter (\(maxIter)) Lloyd iterations ran before the centres moved less than tol")
        }
        return Model(centers: data.uncentred(run.centers, clusters: k), labels: run.labels.map(Int.init),
                     inertia: run.inertia, iterations: run.iterations, clusterSizes: sizes, warnings: warnings)
    }

    /// X with fewer rows than clusters: `invalid_data` naming X and `n_clusters`.
    static func tooFewRows(_ n: Int, _ k: Int) -> SciLearnError {
        .invalidData("X", "has \(n) row\(n == 1 ? "" : "s"), fewer than n_clusters (\(k)); k-means needs at least n_clusters samples")
    }

    /// Given centres (k × d) checked against the data and centred like it.
    static func centred(_ c: Matrix, data: KMeansData, clusters k: Int) throws(SciLearnError) -> [Double] {
        guard c.rows == k else {
            throw .invalidParameter("init", "the initial centres have \(c.rows) rows; n_clusters is \(k)")
        }
        guard c.columns == data.columns else {
            throw .invalidParameter("init", "the initial centres have \(c.columns) columns; X has \(data.columns)")
        }
        var out = [Double](repeating: 0, count: k * data.columns)
        for i in 0..<k {
            for j in 0..<data.columns {
                let v = c[i, j]
                guard v.isFinite else { throw .invalidParameter("init[\(i)][\(j)]", "must be a finite number; got \(v)") }
                out[i * data.columns + j] = v - data.mean[j]
            }
        }
        return out
    }

    /// Peak memory and work of a fit on `rows × columns` X into `clusters` clusters with
    /// `algorithm`, from the shapes alone.
    public static func estimatedCost(rows n: Int, columns d: Int, clusters k: Int, maxIter: Int, runs: Int, algorithm: Algorithm = .lloyd) -> ComputeCost {
        let nd = Double(n), dd = Double(d), kd = Double(k)
        let trials = 2 + log(max(kd, 1)).rounded(.down)
        // LloydPass.pieces's count, in doubles: k comes from a request and is not yet checked
        // against the rows, so products of the shapes must not be formed in Int.
        let pieces = max(1, min(64, (nd / 1024).rounded(.down), (Double(64 << 20) / (8 * (kd * dd + kd))).rounded(.down)))
        // X centred, norms, labels ×3, reduced distances ×2, candidate distances, partial sums
        // (and their compensation), the response (labels and centres as text).
        // Lloyd: X and its row norms in single precision (on AVX2 hosts; counted everywhere).
        // Elkan: the n × k lower bounds, the upper bounds and the previous labels.
        let bounds = algorithm == .elkan ? 8 * (nd * kd + 2 * nd) : 4 * nd * (dd + 1)
        let memory = 8 * (nd * dd + 2 * nd + 3 * nd + trials * nd + pieces * (2 * kd * dd + kd) + 4 * kd * dd) + 24 * nd + 40 * kd * dd + bounds
        // Elkan's worst case measures every distance directly (3·d flops each) and moves n·k bounds.
        let lloyd = (algorithm == .elkan ? 3 * nd * kd * dd + 2 * nd * kd : 2 * nd * kd * dd) * Double(maxIter + 2)
        // k-means++'s candidates, or random init's k scans of the weights.
        let seeding = 2 * nd * dd * (1 + kd * trials) + nd * kd
        return ComputeCost(memoryBytes: memory, flops: Double(max(runs, 1)) * (lloyd + seeding),
                           drivenBy: "X: \(n) rows × \(d) columns, n_clusters \(k), max_iter \(maxIter)")
    }
}
