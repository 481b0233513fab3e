import SciLearn

/// `mini_batch_kmeans`: mini-batch k-means, scikit-learn `MiniBatchKMeans`; its result is a
/// model that `predict` applies (nearest centre), as `kmeans`'s is.
enum MiniBatchKMeansTask {
    static let nClusters = KMeansTask.nClusters
    static let batchSize = Param.integer("batch_size", default: MiniBatchKMeans().batchSize, rule: MiniBatchKMeans.Rules.batchSize,
                                         doc: "rows each step draws (with replacement); more than X has means all of X's rows")
    static let maxIter = Param.integer("max_iter", default: MiniBatchKMeans().maxIter, rule: KMeans.Rules.maxIter,
                                       doc: "passes over the data the steps may add up to: at most (max_iter × n) / batch_size steps")
    static let tol = Param.number("tol", default: MiniBatchKMeans().tol, rule: KMeans.Rules.tol,
                                  doc: "stop when a step moves the centres by at most tol × the mean feature variance (summed squares); 0 never")
    static let maxNoImprovement = Param.optionalInteger("max_no_improvement", default: MiniBatchKMeans().maxNoImprovement,
                                                        rule: MiniBatchKMeans.Rules.maxNoImprovement,
                                                        doc: "stop after this many steps without a lower smoothed batch inertia; null never")
    static let initialization = KMeansTask.initialization
    static let nInit: Param<ChoiceOrInteger<KMeansTask.RunsChoice>> = .choiceOrInteger("n_init", default: KMeansTask.RunsChoice.auto, rule: KMeans.Rules.nInit,
        doc: "initial centres compared by their inertia on a validation sample; \"auto\": 1 for k-means++ and given centres, 3 for random")
    static let initSize = Param.optionalInteger("init_size", rule: MiniBatchKMeans.Rules.initSize,
                                                doc: "rows the initial centres are chosen on; null: 3 × batch_size (at least 3 × n_clusters), at most n")
    static let reassignmentRatio = Param.number("reassignment_ratio", default: MiniBatchKMeans().reassignmentRatio, rule: MiniBatchKMeans.Rules.reassignmentRatio,
                                                doc: "centres given fewer rows than this fraction of the most-given one move to random rows of the batch")
    static let randomState = Param.optionalInteger("random_state", rule: KMeans.Rules.randomState,
                                                   doc: "the seed of every draw (initial centres, batches, reassignments); null draws a fresh seed (a different result each run)")

    /// The result of `mini_batch_kmeans`: `kmeans`'s fields and the steps taken.
    struct Result: TaskResult {
        var clusterCenters: [[Double]]
        var labels: [Int]
        var inertia: Double
        var nIter: Int
        var nSteps: Int
        var clusterSizes: [Int]

        static let fields = [
            ResultFieldInfo("cluster_centers", .numberRows, "the k centres, one row of d numbers each (`cluster_centers_`)"),
            ResultFieldInfo("labels", .integers, "the cluster of each row of X, 0 to k − 1: its nearest final centre (`labels_`)"),
            ResultFieldInfo("inertia", .number, "the sum of squared distances of all rows to their final centres (`inertia_`)"),
            ResultFieldInfo("n_iter", .integer, "passes over the data the steps added up to, rounded up (`n_iter_`)"),
            ResultFieldInfo("n_steps", .integer, "batches drawn (`n_steps_`)"),
            ResultFieldInfo("cluster_sizes", .integers, "rows in each cluster, in centre order"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "mini_batch_kmeans",
        summary: "Mini-batch k-means: each step moves the centres by a random batch of rows, as scikit-learn MiniBatchKMeans.",
        params: [nClusters, batchSize, maxIter, tol, maxNoImprovement, initialization, nInit, initSize, reassignmentRatio, randomState],
        data: [KMeansTask.x],
        result: Result.self,
        model: KMeansModelParameters.use
    ) { (input) throws(ServiceError) in
        let k = try input.read(nClusters)
        let initialization = try KMeansTask.readInitialization(input)
        let runs = try KMeansTask.runs(input, nInit)
        let seed = try input.seed(randomState)
        let config = MiniBatchKMeans(nClusters: k, initialization: initialization, nInit: runs, maxIter: try input.read(maxIter),
                                     batchSize: try input.read(batchSize), tol: try input.read(tol), maxNoImprovement: try input.read(maxNoImprovement),
                                     initSize: try input.read(initSize), reassignmentRatio: try input.read(reassignmentRatio), seed: seed)
        let x = try input.read(KMeansTask.x)
        let cost = MiniBatchKMeans.estimatedCost(rows: x.rows, columns: x.columns, clusters: k, batchSize: config.batchSize,
                                                 maxIter: config.maxIter, runs: config.runs, initSize: config.initSize)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: MiniBatchKMeans.Model
            do throws(SciLearnError) { model = try config.fit(x) } catch { throw ServiceError(error) }
            return try TaskOutput(Result(clusterCenters: model.centers.rowArrays, labels: model.labels, inertia: model.inertia,
                                         nIter: model.iterations, nSteps: model.steps, clusterSizes: model.clusterSizes), warnings: model.warnings)
        }
    }
}
