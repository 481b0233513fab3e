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
