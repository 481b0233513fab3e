/// What a task handler receives: the request's raw params and data and the limits.
struct TaskInput: Sendable {
    var params: JSONValue?
    var data: JSONValue?
    var limits: ServiceLimits
}

/// What a task handler returns on success.
struct TaskOutput: Sendable {
    var result: JSONObject
    var warnings: [String]
}

/// The one table from task names to handlers.
enum TaskRegistry {
    typealias Handler = @Sendable (TaskInput) throws(ServiceError) -> TaskOutput

    static func handler(for task: TaskName) -> Handler {
        switch task {
        case .linearRegression: LinearRegressionTask.run
        case .predict: PredictTask.run
        }
    }

    /// The param keys and data fields a task declares.
    static func fields(for task: TaskName) -> (params: [String], data: [String]) {
        switch task {
        case .linearRegression: (LinearRegressionTask.params, LinearRegressionTask.dataFields)
        case .predict: (PredictTask.params, PredictTask.dataFields)
        }
    }
}
