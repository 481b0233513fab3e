/// Every task the service knows: the one list of declarations. Adding a task is adding its
/// declaration here (and its file under `Tasks/`); the envelope, the shape check of queue front
/// ends, `predict` / `transform`, the docs tables and the conformance suite all read this table.
enum TaskTable {
    static let all: [TaskDeclaration] = [
        LinearRegressionTask.declaration,
        RidgeTask.declaration,
        RidgeCVTask.declaration,
        ElasticNetTask.lasso,
        ElasticNetTask.elasticNet,
        LogisticRegressionTask.declaration,
        KMeansTask.declaration,
        MiniBatchKMeansTask.declaration,
        PCATask.declaration,
        PredictTask.declaration,
        TransformTask.declaration,
        TTestOneSampleTask.declaration,
        TTestIndependentTask.declaration,
        TTestRelatedTask.declaration,
        ChiSquareTask.declaration,
        ChiSquareContingencyTask.declaration,
        FisherExactTask.declaration,
        OneWayANOVATask.declaration,
        PearsonCorrelationTask.declaration,
        ProportionsZTestTask.declaration,
        MultipleTestsTask.declaration,
        SampleSizeProportionsTask.declaration,
        DescribeTask.declaration,
        MannWhitneyUTask.declaration,
        WilcoxonTask.declaration,
        KSTwoSampleTask.declaration,
        KSTestTask.declaration,
        KruskalTask.declaration,
        SpearmanTask.declaration,
        KendallTauTask.declaration,
        NormalTestTask.declaration,
    ]

    private static let byName: [String: TaskDeclaration] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    static func declaration(named name: String) -> TaskDeclaration? { byName[name] }

    static var names: [String] { all.map(\.name) }
}
