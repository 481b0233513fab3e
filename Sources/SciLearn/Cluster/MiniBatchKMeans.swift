import Foundation

/// Mini-batch k-means: k-means for data too big to iterate over fully. Each step draws a batch of
/// rows (with replacement, with probability proportional to their weights), assigns them to the
/// nearest centre and moves each centre to the running mean of every row it has been given so
/// far (per-centre counts: a learning rate of batch count / total count).
///
/// Matches scikit-learn `MiniBatchKMeans(n_clusters, init, n_init, max_iter, batch_size, tol,
/// max_no_improvement, init_size, reassignment_ratio)` (1.9) rule for rule: the initial centres
/// (k-means++, random or given) chosen on a subsample of `init_size` rows, the best of `n_init`
/// by inertia on a validation subsample; (max_iter · n) / batch_size steps; the update
/// c ← (W·c + Σx) / (W + m); low-count centres reassigned to random batch rows (those below
/// `reassignment_ratio` × the largest count, at most half a batch, every 10·k rows seen or while
/// a centre has none); the stop on the summed squared centre move (`tol` × the mean feature
/// variance) and on `max_no_improvement` steps without a lower smoothed batch inertia
/// (α = min(2·batch / (n + 1), 1)). Labels and inertia are of the final centres over all rows.
/// Its draws come from ``SeededGenerator``, not NumPy's, so a seed reproduces the engine's own
/// result on every machine and thread count, and scikit-learn's in quality, not draw for draw.
///
/// - Complexity: 2·b·k·d flops a step (b the batch size) for at most (max_iter · n) / b steps,
///   plus one pass over X for the final labels; memory a centred copy of X (8·n·d bytes).
///   ``estimatedCost(rows:columns:clusters:batchSize:maxIter:runs:initSize:)``.
public struct MiniBatchKMeans: Sendable, Codable, Equatable {
    /// The range of each numeric parameter beyond those it shares with ``KMeans/Rules``.
    public enum Rules {
        /// `batch_size >= 1` (more rows than X has are clamped to its rows, as scikit-learn).
        public static let batchSize = ParameterRule.count("batch_size", atLeast: 1)
        /// `max_no_improvement >= 0` (nil: never stop on it).
        public static let maxNoImprovement = ParameterRule.count("max_no_improvement", atLeast: 0)
        /// `init_size >= 1`.
        public static let initSize = ParameterRule.count("init_size", atLeast: 1)
        /// `reassignment_ratio >= 0`.
        public static let reassignmentRatio = ParameterRule.atLeast("reassignment_ratio", 0)
    }

    /// The number of clusters k (``KMeans/Rules/nClusters``). Default 8.
    public var nClusters: Int
    /// The initial centres. Default k-means++.
    public var initialization: KMeans.Initialization
    /// The number of initialisations compared (`.auto`: 1 for k-means++ and given centres, 3 for
    /// random, as scikit-learn's `MiniBatchKMeans`).
    public var nInit: KMeans.Runs
    /// Passes over the data the steps may add up to (``KMeans/Rules/maxIter``). Default 100.
    public var maxIter: Int
    /// Rows a step draws (``Rules/batchSize``). Default 1024.
    public var batchSize: Int
    /// Stop when a step moves the centres by at most tol × the mean feature variance (summed
    /// squares); 0 (the default) never stops on it.
    public var tol: Double
    /// Stop after this many steps without a lower smoothed batch inertia; nil never. Default 10.
    public var maxNoImprovement: Int?
    /// Rows the initial centres are chosen on (nil: 3 × batch size, at least 3 × k; at most n).
    public var initSize: Int?
    /// Centres whose count falls below this fraction of the largest are reassigned. Default 0.01.
    public var reassignmentRatio: Double
    /// The seed of the ``SeededGenerator`` every draw comes from. Default 0.
    public var seed: UInt64

    /// A configuration; ranges are checked by ``fit(_:sampleWeight:)``.
    public init(nClusters: Int = 8, initialization: KMeans.Initialization = .kMeansPlusPlus, nInit: KMeans.Runs = .auto,
                maxIter: Int = 100, batchSize: Int = 1024, tol: Double = 0, maxNoImprovement: Int? = 10,
                initSize: Int? = nil, reassignmentRatio: Double = 0.01, seed: UInt64 = 0) {
        self.nClusters = nClusters
        self.initialization = initialization
        self.nInit = nInit
        self.maxIter = maxIter
        self.batchSize = batchSize
        self.tol = tol
        self.maxNoImprovement = maxNoImprovement
        self.initSize = initSize
        self.reassignmentRatio = reassignmentRatio
        self.seed = seed
    }

    /// Checks every parameter against its rule.
    public func validate() throws(SciLearnError) {
        try KMeans.Rules.nClusters.check(nClusters)
        if case .count(let runs) = nInit { try KMeans.Rules.nInit.check(runs) }
        try KMeans.Rules.maxIter.check(maxIter)
        try Rules.batchSize.check(batchSize)
        try KMeans.Rules.tol.check(tol)
        if let m = maxNoImprovement { try Rules.maxNoImprovement.check(m) }
        if let s = initSize { try Rules.initSize.check(s) }
        try Rules.reassignmentRatio.check(reassignmentRatio)
    }

    /// The number of initialisations a fit compares (`n_init` resolved: given centres make one).
    public var runs: Int {
        switch (nInit, initialization) {
        case (_, .centers): 1
        case (.count(let r), _): r
        case (.auto, .random): 3
        case (.auto, _): 1
        }
    }

    /// The steps a fit on `rows` rows may take: (max_iter · n) / batch, at least 1.
    public func steps(rows n: Int) -> Int {
        let batch = max(1, min(batchSize, n))
        let (product, overflow) = maxIter.multipliedReportingOverflow(by: n)
        return overflow ? Int.max : max(1, product / batch)
    }

    /// Clusters the rows of `x` (n × d); `sampleWeight` (all 1 when nil) weights the draws of
    /// the batches, the initial centres and the inertia, as scikit-learn's `fit`.
    ///
    /// - Throws: as ``KMeans/fit(_:sampleWeight:)``, and `invalidParameter` for `batch_size`,
    ///   `max_no_improvement`, `init_size`, `reassignment_ratio`.
    public func fit(_ x: Matrix, sampleWeight: [Double]? = nil) throws(SciLearnError) -> Model {
        BLASThreading.pinSingleThreaded()
        try validate()
        let data = try KMeansData(x, sampleWeight: sampleWeight)
        let n = data.rows, d = data.columns, k = nClusters
        guard k <= n else { throw KMeans.tooFewRows(n, k) }
        var warnings: [String] = []
        var given: [Double]? = nil
        if case .centers(let c) = initialization { given = try KMeans.centred(c, data: data, clusters: k) }
        if given != nil, case .count(let r) = nInit, r != 1 {
            warnings.append("init: explicit initial centres were given, so one initialisation was used instead of n_init=\(r) (as scikit-learn)")
        }
        let batch = min(batchSize, n)
        var initRows = 3 * batch
        if let s = initSize {
            initRows = s
            if s < k {
                initRows = 3 * k
                warnings.append("init_size: \(s) is below n_clusters (\(k)), so \(min(3 * k, n)) rows were used (3 × n_clusters, at most n; as scikit-learn)")
            }
        } else if initRows < k {
            initRows = 3 * k
        }
        initRows = min(initRows, n)
        let tolerance = tol == 0 ? 0 : tol * (try data.meanVariance())
        var generator = SeededGenerator(seed: seed)
        let sampler = RowSampler(data)
        let validation = KMeansData(rows: (0..<initRows).map { _ in generator.nextIndex(below: n) }, of: data, keepWeights: true)
        var start: [Double] = []
        var startInertia = Double.infinity
        for _ in 0..<runs {
            try CancellationToken.check()
            let centers: [Double]
            if let given {
                centers = given
            } else {
                let sample = initRows < n ? KMeansData(rows: (0..<initRows).map { _ in generator.nextIndex(below: n) }, of: data, keepWeights: true) : data
                let positive = sample.weights?.count(where: { $0 > 0 }) ?? sample.rows
                guard positive >= 1 else {
                    throw .invalidData("sample_weight", "the init_size subsample (\(sample.rows) rows) has no row of positive weight to seed from; raise init_size or give more rows positive weight")
                }
                if case .random = initialization {
                    guard positive >= k else {
                        throw .invalidData("sample_weight", "the init_size subsample (\(sample.rows) rows) has fewer rows of positive weight (\(positive)) than n_clusters (\(k)) for random init")
                    }
                    centers = KMeans.randomRows(sample, clusters: k, generator: &generator)
                } else {
                    centers = try KMeans.kMeansPlusPlus(sample, clusters: k, generator: &generator)
                }
            }
            let labels = try LloydPass.labels(validation, centers: centers, clusters: k)
            let inertia = try KMeans.inertia(validation, centers: centers, labels: labels, clusters: k)
            if start.isEmpty || inertia < startInertia {
                start = centers
                startInertia = inertia
            }
        }
        var state = State(centers: start, clusters: k, columns: d)
        let steps = steps(rows: n)
        let workspace = LloydPass.Workspace(rows: batch)
        var taken = 0
        var stop = Model.Stop.steps
        for i in 0..<steps {
            try CancellationToken.check()
            let rows = (0..<batch).map { _ in sampler.draw(&generator) }
            let b = KMeansData(rows: rows, of: data, keepWeights: false)
            let reassign = state.dueForReassignment(batch: batch)
            let (batchInertia, shift) = try state.step(b, reassign: reassign && reassignmentRatio > 0, ratio: reassignmentRatio,
                                                       measureShift: tolerance > 0, workspace: workspace, generator: &generator)
            taken = i + 1
            if let reason = state.converged(step: i, batchInertia: batchInertia / Double(batch), shift: shift, tolerance: tolerance,
                                            alpha: min(Double(batch) * 2 / Double(n + 1), 1), maxNoImprovement: maxNoImprovement) {
                stop = reason
                break
            }
        }
        let labels = try LloydPass.labels(data, centers: state.centers, clusters: k)
        let inertia = try KMeans.inertia(data, centers: state.centers, labels: labels, clusters: k)
        let (sizes, distinct) = try KMeansData.clusterSizes(labels, clusters: k, inertia: inertia)
        if distinct < k {
            warnings.append("labels: only \(distinct) of the n_clusters (\(k)) centres are nearest to any row; possibly duplicate points in X or too few steps")
        }
        let (passes, overflow) = taken.multipliedReportingOverflow(by: batch)
        return Model(centers: data.uncentred(state.centers, clusters: k), labels: labels.map(Int.init), inertia: inertia,
                     iterations: overflow ? Int.max : (passes + n - 1) / n, steps: taken, stoppedBy: stop, clusterSizes: sizes,
                     warnings: warnings)
    }

    /// Peak memory and work of a fit on `rows × columns` X, from the shapes alone.
    public static func estimatedCost(rows n: Int, columns d: Int, clusters k: Int, batchSize: Int, maxIter: Int, runs: Int,
                                     initSize: Int?) -> ComputeCost {
        let nd = Double(n), dd = Double(d), kd = Double(k)
        let b = max(1, min(Double(batchSize), nd))
        let initRows = min(nd, max(Double(initSize ?? 0), 3 * b, 3 * kd))
        let trials = 2 + log(max(kd, 1)).rounded(.down)
        let steps = max(1, (Double(maxIter) * nd / b).rounded(.down))
        // X centred, norms, the sampler's cumulative weights, final labels ×2 and reduced
        // distances, the validation and init subsamples with their k-means++ buffers, a batch
        // and its pass's buffers, the response (labels and centres as text).
        let memory = 8 * (nd * dd + 2 * nd + 2 * nd + 2 * initRows * (dd + 1 + trials) + 2 * b * (dd + 4) + 4 * kd * dd) + 24 * nd + 40 * kd * dd
        let work = steps * (2 * b * kd * dd + 4 * b * dd) + 4 * nd * kd * dd
            + Double(max(runs, 1)) * (2 * initRows * dd * (1 + kd * trials) + 2 * initRows * kd * dd)
        return ComputeCost(memoryBytes: memory, flops: work,
                           drivenBy: "X: \(n) rows × \(d) columns, n_clusters \(k), batch_size \(batchSize), max_iter \(maxIter)")
    }
}
