import SciLearn

/// `kmeans`: k-means clustering, scikit-learn `KMeans`; its result is also a model that
/// `predict` applies (nearest centre).
enum KMeansTask {
    /// The string choices of `init`.
    enum InitChoice: String, CaseIterable, Sendable {
        case kMeansPlusPlus = "k-means++"
        case random
    }

    /// The string choice of `n_init`.
    enum RunsChoice: String, CaseIterable, Sendable {
        case auto
    }

    /// `algorithm`: scikit-learn's names (its removed `"full"` is refused).
    enum Algorithm: String, CaseIterable, Sendable {
        case lloyd, elkan
    }

    static let nClusters = Param.integer("n_clusters", default: KMeans().nClusters, rule: KMeans.Rules.nClusters, doc: "the number of clusters k (at most the rows of X)")
    static let initialization: Param<ChoiceOrMatrix<InitChoice>> = .choiceOrMatrix("init", default: InitChoice.kMeansPlusPlus,
        doc: "the first centres: \"k-means++\" (scikit-learn's greedy seeding), \"random\" (k distinct rows), or the k × d centres themselves")
    static let nInit: Param<ChoiceOrInteger<RunsChoice>> = .choiceOrInteger("n_init", default: RunsChoice.auto, rule: KMeans.Rules.nInit,
        doc: "runs from different first centres, the lowest inertia kept; \"auto\": 1 for k-means++ and given centres, 10 for random")
    static let maxIter = Param.integer("max_iter", default: KMeans().maxIter, rule: KMeans.Rules.maxIter, doc: "most Lloyd iterations per run")
    static let tol = Param.number("tol", default: KMeans().tol, rule: KMeans.Rules.tol,
                                  doc: "stop when the summed squared shift of the centres is at most tol × the mean feature variance")
    static let randomState = Param.optionalInteger("random_state", rule: KMeans.Rules.randomState,
                                                   doc: "the seed of the first centres; null draws a fresh seed (a different result each run)")
    static let algorithm = Param.choice("algorithm", default: Algorithm.lloyd, doc: "\"lloyd\" (every distance, one vectorised pass) or \"elkan\" (triangle-inequality bounds skip most distances; n × k bounds in memory): the same result")
    static let x = DataField.matrix("X", doc: "n samples × d features")

    /// The result of `kmeans`.
    struct Result: TaskResult {
        var clusterCenters: [[Double]]
        var labels: [Int]
        var inertia: Double
        var nIter: Int
        var clusterSizes: [Int]

        static let fields = [
            ResultFieldInfo("cluster_centers", .numberRows, "the k centres, one row of d numbers each (`cluster_centers_`)"),
            ResultFieldInfo("labels", .integers, "the cluster of each row of X, 0 to k − 1: its nearest final centre (`labels_`)"),
            ResultFieldInfo("inertia", .number, "the sum of squared distances of the rows to their centres, of the run kept (`inertia_`)"),
            ResultFieldInfo("n_iter", .integer, "Lloyd iterations of the run kept (`n_iter_`)"),
            ResultFieldInfo("cluster_sizes", .integers, "rows in each cluster, in centre order"),
        ]
    }

    /// `init` read as the engine's initialisation (`mini_batch_kmeans` reads it too).
    static func readInitialization(_ input: TaskInput) throws(ServiceError) -> KMeans.Initialization {
        switch try input.read(initialization) {
        case .choice(.kMeansPlusPlus): .kMeansPlusPlus
        case .choice(.random): .random
        case .matrix(let m): .centers(m)
        }
    }

    /// An `n_init` param read as the engine's run count.
    static func runs(_ input: TaskInput, _ param: Param<ChoiceOrInteger<RunsChoice>>) throws(ServiceError) -> KMeans.Runs {
        switch try input.read(param) {
        case .choice(.auto): .auto
        case .integer(let r): .count(r)
        }
    }

    static let declaration = TaskDeclaration(
        name: "kmeans",
        summary: "k-means clustering by Lloyd's iterations from k-means++ centres, as scikit-learn KMeans.",
        params: [nClusters, initialization, nInit, maxIter, tol, randomState, algorithm],
        data: [x],
        result: Result.self,
        model: KMeansModelParameters.use
    ) { (input) throws(ServiceError) in
        let k = try input.read(nClusters)
        let initialization = try Self.readInitialization(input)
        let runs = try Self.runs(input, nInit)
        let seed = try input.seed(randomState)
        let algorithm = try input.read(Self.algorithm)
        let config = KMeans(nClusters: k, initialization: initialization, nInit: runs, maxIter: try input.read(maxIter),
                            tol: try input.read(tol), seed: seed, algorithm: algorithm == .elkan ? .elkan : .lloyd)
        let x = try input.read(Self.x)
        let cost = KMeans.estimatedCost(rows: x.rows, columns: x.columns, clusters: k, maxIter: config.maxIter, runs: config.runs,
                                        algorithm: config.algorithm)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: KMeans.Model
            do throws(SciLearnError) { model = try config.fit(x) } catch { throw ServiceError(error) }
            return try TaskOutput(Result(clusterCenters: model.centers.rowArrays, labels: model.labels, inertia: model.inertia,
                                         nIter: model.iterations, clusterSizes: model.clusterSizes), warnings: model.warnings)
        }
    }
}
