/// A response envelope (CONTRACT.md, "Response"): a result with warnings, or an error.
public struct JobResponse: Sendable {
    /// What a job produced: a result with its warnings, or an error.
    public enum Outcome: Sendable {
        /// The task's result object and its warnings.
        case success(result: JSONObject, warnings: [String])
        /// The contract error the job failed with.
        case failure(ServiceError)
    }

    /// The request's id, or nil when none is known.
    public var id: String?
    /// The task name as the request gave it, or nil when none was read.
    public var task: String?
    /// The result or the error.
    public var outcome: Outcome
    /// Milliseconds the job took, on a monotonic clock (`elapsed_ms`, written only on success).
    public var elapsedMilliseconds: Double
    /// Where the full response was written (a request with `output`), written after `result`.
    public var output: JSONObject?

    /// A response of these parts, as given.
    public init(id: String?, task: String?, outcome: Outcome, elapsedMilliseconds: Double) {
        self.id = id
        self.task = task
        self.outcome = outcome
        self.elapsedMilliseconds = elapsedMilliseconds
    }

    /// An error response that no job produced: the transport's own (overloaded, timeout,
    /// unauthorized, ...), carrying the request's id and task when the transport knows them.
    public static func failure(_ code: ErrorCode, _ message: String, id: String? = nil, task: String? = nil) -> JobResponse {
        JobResponse(id: id, task: task, outcome: .failure(ServiceError(code, message)), elapsedMilliseconds: 0)
    }

    /// The error code, or nil on success.
    public var errorCode: ErrorCode? {
        if case .failure(let e) = outcome { return e.code }
        return nil
    }

    /// The response as a JSON object, keys in the contract's order.
    public var jsonValue: JSONValue {
        var o = JSONObject()
        if let id { o["id"] = .string(id) }
        if let task { o["task"] = .string(task) }
        switch outcome {
        case .success(let result, let warnings):
            o["status"] = .string("ok")
            o["result"] = .object(result)
            if let output { o["output"] = .object(output) }
            o["warnings"] = .array(warnings.map { .string($0) })
            o["elapsed_ms"] = .number((elapsedMilliseconds * 1000).rounded() / 1000)
        case .failure(let e):
            o["status"] = .string("error")
            o["error"] = .object(["code": .string(e.code.rawValue), "message": .string(e.message)])
        }
        return .object(o)
    }

    /// The response serialised as compact JSON.
    public var json: String { JSONWriter.write(jsonValue) }
}
