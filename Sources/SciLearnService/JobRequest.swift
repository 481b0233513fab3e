import Foundation
import SciLearn

/// A decoded request envelope (CONTRACT.md, "Request"): the id, the task and its raw params and
/// data, before the task's own handler reads them strictly.
public struct JobRequest: Sendable {
    /// The job's id: the body's own, or the one assigned when it had none.
    public var id: String
    /// The task to run.
    public var task: TaskName
    var params: JSONValue?
    /// The `data` member, its numeric arrays packed by the parser.
    var data: DataMember?
    /// Where the result goes (`output`), or nil to return it whole.
    public var output: OutputLocation?

    static let envelopeKeys = ["id", "task", "params", "data", "output"]

    /// What could be read of a request that failed, for echoing in the error response.
    struct Partial {
        var id: String?
        var task: String?
        /// Whether the body carried its own id (rather than ``decode``'s assigned one).
        var givenID = false
    }

    /// Checks the request's shape without running it: the envelope (JSON object, `id`, known
    /// `task`, no unknown field), `params` an object of the task's keys, `data` present (for a
    /// task that takes data) and an object of its fields; the values are the task's to check
    /// when it runs. What a queue front end checks before accepting a job, with the errors
    /// running it would give.
    /// - Returns: the body's own id (nil when absent) and its task.
    public static func envelope(_ body: some Collection<UInt8>, limits: ServiceLimits) throws(ServiceError) -> (id: String?, task: TaskName) {
        var partial = Partial()
        let request = try decode(body, limits: limits, partial: &partial, assignedID: nil)
        _ = try request.readers(limits: limits)
        return (partial.givenID ? request.id : nil, request.task)
    }

    /// The body's own valid `id`, whatever else is wrong with it (nil when it has none, or the
    /// body is not a JSON object): what a queue worker keys a foreign message's job by, and
    /// what running the body echoes.
    public static func givenID(in body: some Collection<UInt8>, limits: ServiceLimits) -> String? {
        var partial = Partial()
        _ = try? decode(body, limits: limits, partial: &partial, assignedID: nil)
        return partial.givenID ? partial.id : nil
    }

    /// Decodes and checks the envelope. A missing id becomes `assignedID`, or a fresh UUID.
    static func decode(_ body: some Collection<UInt8>, limits: ServiceLimits, partial: inout Partial, assignedID: String?,
                       cancellation: CancellationToken? = nil) throws(ServiceError) -> JobRequest {
        guard body.count <= limits.maxBodyBytes else {
            throw ServiceError(.tooLarge, "the request body is \(body.count) bytes; the limit is \(limits.maxBodyBytes)")
        }
        let value: JSONValue
        let data: RequestData?
        let isCancelled: (@Sendable () -> Bool)? = cancellation.map { token in { @Sendable in token.isCancelled } }
        do throws(JSONParser.Failure) {
            (value, data) = try JSONParser.parseRequest(body, maxDepth: limits.maxDepth, isCancelled: isCancelled)
        } catch where error.cancelled {
            throw ServiceError(SciLearnError(.cancelled, field: nil, "cancelled while its body was decoded"))
        } catch {
            throw ServiceError(.invalidJSON, "the body is not valid JSON: \(error.message)")
        }
        guard case .object(let o) = value else {
            throw ServiceError(.invalidJSON, "the body must be a JSON object; got \(value.typeDescription)")
        }
        switch o["id"] {
        case nil, .null?: partial.id = assignedID ?? UUID().uuidString.lowercased()
        case .string(let s)? where isValidID(s):
            partial.id = s
            partial.givenID = true
        case let v?:
            throw ServiceError(.invalidParams, "id: must be 1-128 characters of A-Za-z0-9._:-, and not '.' or '..'; got \(Params.describe(v))")
        }
        if case .string(let t)? = o["task"] { partial.task = t }
        for key in o.keys where !envelopeKeys.contains(key) {
            throw ServiceError(.invalidParams, "\(key): unknown request field\(Suggestion.hint(key, envelopeKeys)) (a request has id, task, params, data, output)")
        }
        let task: TaskName
        switch o["task"] {
        case .string(let t)?:
            guard let known = TaskName(rawValue: t) else {
                let names = TaskTable.names
                throw ServiceError(.unknownTask, "task: '\(t)' is not a known task\(Suggestion.hint(t, names)) (known: \(names.joined(separator: ", ")))")
            }
            task = known
        case nil, .null?:
            throw ServiceError(.unknownTask, "task: is required (one of \(TaskTable.names.joined(separator: ", ")))")
        case let v?:
            throw ServiceError(.unknownTask, "task: must be a string naming a task; got \(Params.describe(v))")
        }
        let member: DataMember? = data.map { .object($0) } ?? o["data"].map { .other($0) }
        var output: OutputLocation? = nil
        if let v = o["output"], v != .null { output = try OutputLocation.read(v) }
        return JobRequest(id: partial.id!, task: task, params: o["params"], data: member, output: output)
    }

    /// The params and data readers of the request's task: every param key and data field checked
    /// against its declaration (the values are the task's to read).
    func readers(limits: ServiceLimits) throws(ServiceError) -> TaskInput {
        let declaration = task.declaration
        let params = try Params(self.params, allowed: declaration.paramKeys, limits: limits)
        if !declaration.takesData {
            try DataReader.checkNoData(data)
            return TaskInput(params: params, data: nil, limits: limits)
        }
        return TaskInput(params: params, data: try DataReader(data, allowed: declaration.dataKeys, limits: limits), limits: limits)
    }

    /// 1-128 characters of `A-Za-z0-9._:-`, not `.` or `..` (an id is a URL path segment).
    public static func isValidID(_ s: String) -> Bool {
        s != "." && s != ".." && (1...128).contains(s.utf8.count) && s.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: "-")
        }
    }
}
