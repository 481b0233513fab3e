import SciLearn

/// `predict` and its model read-back: applies the model in `params.model` (a whole success
/// response of an earlier fit) to `data.X`, through the fit task's own ``ModelUse``.
enum PredictTask {
    static let model = Param.object("model", doc: "the whole success response of an earlier fit")
    static let x = DataField.matrix("X", acceptsNoColumns: true, doc: "n samples × p features, the columns the model was fitted on")
    static let featureNames = FeatureNamesField(doc: "the names of X's columns; when the model lists its terms, they must be the model's, in order")

    static let declaration = TaskDeclaration(
        name: "predict",
        summary: "Applies a fitted model (a fit's whole success response) to new samples.",
        params: [model],
        data: [x, featureNames],
        result: Result.self
    ) { (input) throws(ServiceError) in
        let fitted = try read(try input.read(model), verb: .predict)
        let x = try input.read(Self.x)
        guard x.columns == fitted.featureCount else {
            throw .data("X", "has \(x.columns) columns but the model was fitted on \(fitted.featureCount)")
        }
        if let given = try input.read(featureNames, columns: x.columns), let fittedNames = fitted.featureNames, given != fittedNames {
            let k = given.indices.first { given[$0] != fittedNames[$0] } ?? 0
            throw .data("feature_names[\(k)]", "is \"\(given[k])\" but the model's term there is \"\(fittedNames[k])\"; X's columns must be the model's, in its order (\(fittedNames.joined(separator: ", ")))")
        }
        return PreparedJob(cost: fitted.cost(rows: x.rows)) { () throws(ServiceError) in try fitted.apply(x) }
    }

    /// The result of `predict`: one prediction per row, and the class probabilities of a
    /// classifier.
    struct Result: TaskResult {
        /// Predicted values of a regression, or predicted class labels.
        enum Predictions: Encodable {
            case values([Double?])
            case labels(ClassLabels)

            func encode(to encoder: any Encoder) throws {
                switch self {
                case .values(let v): try v.encode(to: encoder)
                case .labels(let l): try WireClasses(labels: l).encode(to: encoder)
                }
            }
        }

        var predictions: Predictions
        var probabilities: [[Double?]]?

        static let fields = [
            ResultFieldInfo("predictions", .labels, nullable: true, "one per row of X: the value of a regression (null beyond the range of a double), or the most probable class label"),
            ResultFieldInfo("probabilities", .numberRows, nullable: true, presentWhen: "the model is a classifier", "`predict_proba`: one row per sample, one column per class, in `classes` order (null where X's scores overflow the double range)"),
        ]

        enum CodingKeys: String, CodingKey { case predictions, probabilities }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(predictions, forKey: .predictions)
            if let probabilities { try c.encode(probabilities, forKey: .probabilities) }
        }
    }

    /// The fitted model in a fit response, read by the fit task's declaration.
    static func read(_ response: JSONObject, verb: ModelUse.Verb) throws(ServiceError) -> any FittedModel {
        guard case .string(let taskName)? = response["task"] else {
            throw .params("model.task", "is required: the fit's task name, as in its response")
        }
        guard case .string("ok")? = response["status"] else {
            throw .params("model.status", "must be \"ok\": only a successful fit response is a model")
        }
        let usable = TaskTable.all.filter { $0.model?.verb == verb }.map(\.name)
        guard let use = TaskTable.declaration(named: taskName)?.model, use.verb == verb else {
            throw .params("model.task", "'\(taskName)' models cannot \(verb.rawValue) (supported: \(usable.joined(separator: ", ")))")
        }
        guard let result = response["result"], case .object = result else {
            throw .params("model.result", "is required: an object holding the fitted model")
        }
        return try use.read(result, "params.model.result")
    }
}
