/// The contract's error codes, with the HTTP status and the queue retry policy of each: the one
/// table every transport uses (CONTRACT.md, "Error codes").
///
/// The last five are transport-level: only an HTTP front end (ours, or API Gateway's) produces
/// them, never a job, so they are never seen on a queue.
public enum ErrorCode: String, Sendable, CaseIterable, Codable {
    case invalidJSON = "invalid_json"
    case unknownTask = "unknown_task"
    case invalidParams = "invalid_params"
    case invalidData = "invalid_data"
    case tooLarge = "too_large"
    case numericalFailure = "numerical_failure"
    case overloaded = "overloaded"
    case timeout = "timeout"
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
