import SciLearn

/// `predict`: applies the model in `params.model` (a whole success response of an earlier fit)
/// to `data.X`.
enum PredictTask {
    static let params = ["model"]
    static let dataFields = ["X", "feature_names"]
    /// Fit tasks whose responses `predict` accepts today.
    static let supported: [TaskName] = [.linearRegression]

    static func run(_ input: TaskInput) throws(ServiceError) -> TaskOutput {
        let p = try Params(input.params, allowed: params)
        let model = try p.requiredObject("model", what: "the whole success response of an earlier fit")
        guard case .string(let taskName)? = model["task"] else {
            throw .params("model.task", "is required: the fit's task name, as in its response")
        }
        guard case .string("ok")? = model["status"] else {
            throw .params("model.status", "must be \"ok\": only a successful fit response can predict")
        }
        guard let task = TaskName(rawValue: taskName), supported.contains(task) else {
            throw .params("model.task", "'\(taskName)' models cannot predict (supported: \(supported.map(\.rawValue).joined(separator: ", ")))")
        }
        guard case .object(let result)? = model["result"] else {
            throw .params("model.result", "is required: an object holding the fitted model")
        }
        let predictor = try linearPredictor(result)
        let d = try DataReader(input.data, allowed: dataFields, limits: input.limits)
        let x = try d.matrix("X")
        _ = try d.featureNames(columns: x.columns)
        let predictions: [Double]
        do { predictions = try predictor.predict(x) } catch { throw ServiceError(error) }
        var warnings: [String] = []
        if let i = predictions.firstIndex(where: { !$0.isFinite }) {
            warnings.append("predictions[\(i)] and any other null prediction are beyond the range of a double")
        }
        return TaskOutput(result: ["predictions": .numbers(predictions)], warnings: warnings)
    }

    static func linearPredictor(_ result: JSONObject) throws(ServiceError) -> LinearPredictor {
        guard case .array(let coef)? = result["coef"] else {
            throw .params("model.result.coef", "is required: an array of numbers")
        }
        var b: [Double] = []
        for (i, e) in coef.enumerated() {
            guard case .number(let v) = e else { throw .params("model.result.coef[\(i)]", "must be a number; got \(Params.describe(e))") }
            b.append(v)
        }
        guard case .number(let intercept)? = result["intercept"] else {
            throw .params("model.result.intercept", "is required: a number")
        }
        return LinearPredictor(coefficients: b, intercept: intercept)
    }
}
