/// The contract's error codes, with the HTTP status and the queue retry policy of each: the one
/// table every transport uses (CONTRACT.md, "Error codes").
///
/// The last five are transport-level: only an HTTP front end (ours, or API Gateway's) produces
/// them, never a job, so they are never seen on a queue.
public enum ErrorCode: String, Sendable, CaseIterable, Codable {
    /// The body is not a valid JSON object: malformed, too deep, or with duplicate keys (HTTP 400).
    case invalidJSON = "invalid_json"
    /// The `task` is missing, not a string, or not a known task (HTTP 400).
    case unknownTask = "unknown_task"
    /// An unknown request field or param key, a param of the wrong type or out of range, or a bad `id` (HTTP 400).
    case invalidParams = "invalid_params"
    /// The `data` is missing or malformed: unknown fields, ragged rows, nulls, non-numbers, mismatched lengths (HTTP 400).
    case invalidData = "invalid_data"
    /// The body, a data field, or the job's estimated memory or work is over a ``ServiceLimits`` limit (HTTP 413).
    case tooLarge = "too_large"
    /// The computation failed numerically (e.g. an SVD that does not converge) or gave a non-finite result (HTTP 422).
    case numericalFailure = "numerical_failure"
    /// The HTTP adapter is too busy to take the job; retried on a queue (HTTP 503).
    case overloaded = "overloaded"
    /// The job passed its deadline or was cancelled through its token; retried on a queue (HTTP 504).
    case timeout = "timeout"
    /// An unexpected failure inside the service; retried on a queue (HTTP 500).
    case `internal` = "internal"
    /// A missing or wrong bearer token (HTTP 401).
    case unauthorized = "unauthorized"
    /// No such path (HTTP 404).
    case notFound = "not_found"
    /// The path exists but not with this method (HTTP 405).
    case methodNotAllowed = "method_not_allowed"
    /// The HTTP message itself is malformed: its framing, a header, or a missing `Host` (HTTP 400).
    case badRequest = "bad_request"
    /// The client stopped sending its request before it was complete (HTTP 408).
    case requestTimeout = "request_timeout"

    /// The status the synchronous HTTP adapter answers with.
    public var httpStatus: Int {
        switch self {
        case .invalidJSON, .unknownTask, .invalidParams, .invalidData: 400
        case .tooLarge: 413
        case .numericalFailure: 422
        case .overloaded: 503
        case .timeout: 504
        case .internal: 500
        case .unauthorized: 401
        case .notFound: 404
        case .methodNotAllowed: 405
        case .badRequest: 400
        case .requestTimeout: 408
        }
    }

    /// Whether a queue worker retries a job that failed with this code (client errors are not
    /// retried: they go to the failure destination at once).
    public var isRetried: Bool {
        switch self {
        case .timeout, .internal, .overloaded: true
        default: false
        }
    }
}
