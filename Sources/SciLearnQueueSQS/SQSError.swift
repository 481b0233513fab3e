/// An error answered by SQS (or an SQS-compatible server) for one action: the AWS error code
/// (`QueueDoesNotExist`, `RequestThrottled`, ...), its message and the HTTP status.
public struct SQSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var action: String
    public var code: String
    public var message: String
    public var status: Int

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

    public var description: String { "SQS \(action): \(code) (HTTP \(status)): \(message)" }
}
