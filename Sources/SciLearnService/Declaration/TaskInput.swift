/// What a task's `prepare` receives: the request's params and data, already checked against the
/// declared keys, and the limits. Typed reads go through the task's own ``Param`` and
/// ``DataField`` values, so that a key is spelled once, in its declaration.
struct TaskInput: Sendable {
    let params: Params
    /// nil for a task that takes no data.
    let data: DataReader?
    let limits: ServiceLimits

    func read<Value>(_ param: Param<Value>) throws(ServiceError) -> Value {
        try param.read(params)
    }

    func read<Value>(_ field: DataField<Value>) throws(ServiceError) -> Value {
        guard let data else { throw ServiceError(.internal, "data.\(field.info.key) read by a task that declares no data") }
        return try field.read(data)
    }
}

/// What a task returns on success: its result object (from ``ResultEncoder``) and warnings.
struct TaskOutput: Sendable {
    var result: JSONObject
    var warnings: [String]

    init(result: JSONObject, warnings: [String]) {
        self.result = result
        self.warnings = warnings
    }

    /// A result type encoded to the contract's names.
    init(_ result: some Encodable, warnings: [String]) throws(ServiceError) {
        self.result = try ResultEncoder.encode(result)
        self.warnings = warnings
    }
}
