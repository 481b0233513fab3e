/// A message to send: a request body and the job id it runs under.
public struct OutgoingMessage: Sendable, Equatable {
    /// The request body, sent byte for byte.
    public var body: [UInt8]
    /// The job id (the request's `id`, or one the producer assigned). Backends that can
    /// de-duplicate (SQLite) keep one live message per job id.
    public var jobID: String

    /// A message of `body` under `jobID`.
    public init(body: [UInt8], jobID: String) {
        self.body = body
        self.jobID = jobID
    }
}
