import SciLearn

/// `transform`: applies the model in `params.model` (a whole `pca` success response) to
/// `data.X`, through the fit task's own ``ModelUse``, as `predict` does for the other fits.
enum TransformTask {
    static let model = Param.object("model", doc: "the whole success response of an earlier pca fit")
    static let x = DataField.matrix("X", doc: "n samples × p features, the columns the model was fitted on")

    /// The result of `transform`.
    struct Result: TaskResult {
        var transformed: [[Double]]

        static let fields = [
            ResultFieldInfo("transformed", .numberRows, "X projected on the model's components, n rows of k numbers (whitened when the fit was)"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "transform",
        summary: "Projects new samples on a fitted PCA's components (a pca fit's whole success response).",
        params: [model],
        data: [x],
        result: Result.self
    ) { (input) throws(ServiceError) in
        let fitted = try PredictTask.read(try input.read(model), verb: .transform)
        let x = try input.read(Self.x)
        guard x.columns == fitted.featureCount else {
            throw .data("X", "has \(x.columns) columns but the model was fitted on \(fitted.featureCount)")
        }
        return PreparedJob(cost: fitted.cost(rows: x.rows)) { () throws(ServiceError) in try fitted.apply(x) }
    }
}
