/// One task of the contract, declared once in the task's own file: its name, its params and data
/// fields (with types, defaults and docs), how a request becomes a job whose cost is known from
/// its shapes, and, for a fit, how its result is read back as a model by `predict` or
/// `transform`.
///
/// ``TaskTable`` lists every declaration; nothing else in the package names a task. The service
/// checks param keys and data fields against the declaration before the task reads them, and
/// refuses a job whose ``PreparedJob/cost`` is over the limits before it runs.
struct TaskDeclaration: Sendable {
    /// The wire name (`linear_regression`).
    let name: String
    /// One line for the docs.
    let summary: String
    let params: [ParamInfo]
    /// The data fields; empty for a task that takes no data (`data` absent, null or `{}`).
    let data: [DataFieldInfo]
    /// The result's fields, from the task's ``TaskResult`` type.
    let result: [ResultFieldInfo]
    /// How `predict` / `transform` read this task's result back; nil when they cannot.
    let model: ModelUse?
    /// Reads the request (params and data, already checked against the declared keys) and
    /// returns the job to run with its cost. Must not allocate beyond what the request already
    /// holds: the cost decides whether it runs.
    let prepare: @Sendable (TaskInput) throws(ServiceError) -> PreparedJob

    init(name: String, summary: String, params: [any DeclaredParam], data: [any DeclaredDataField], result: any TaskResult.Type,
         model: ModelUse? = nil, prepare: @escaping @Sendable (TaskInput) throws(ServiceError) -> PreparedJob) {
        self.name = name
        self.summary = summary
        self.params = params.map(\.info)
        self.data = data.map(\.info)
        self.result = result.fields
        self.model = model
        self.prepare = prepare
    }

    var paramKeys: [String] { params.map(\.key) }
    var dataKeys: [String] { data.map(\.key) }
    var takesData: Bool { !data.isEmpty }
}
