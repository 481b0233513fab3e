/// An error answered by SQS (or an SQS-compatible server) for one action: the AWS error code
/// (`QueueDoesNotExist`, `RequestThrottled`, ...), its message and the HTTP status.
public struct SQSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The SQS action that failed (`ReceiveMessage`, ...).
    public var action: String
    /// The AWS error code (`HTTP<status>` when the answer names none).
    public var code: String
    /// The error message SQS gave (the answer's body when it gave none).
    public var message: String
    /// The HTTP status of the answer (400 for a failed batch entry).
    public var status: Int

    /// An error from its fields.
    public init(action: String, code: String, message: String, status: Int) {
        self.action = action
        self.code = code
        self.message = message
        self.status = status
    }

    /// Throttling and server errors: worth another attempt after a pause.
    public var isRetryable: Bool {
        status >= 500 || Self.throttling.contains(code)
    }

    static let throttling: Set<String> = [
        "RequestThrottled", "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestThrottledException",
        "KmsThrottled", "KMSThrottlingException", "ServiceUnavailable", "InternalError", "InternalFailure",
    ]

    /// The action, code, HTTP status and message on one line.
    public var description: String { "SQS \(action): \(code) (HTTP \(status)): \(message)" }
}
