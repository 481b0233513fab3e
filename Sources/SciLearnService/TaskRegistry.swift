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
}
