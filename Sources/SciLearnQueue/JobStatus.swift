import SciLearnService

/// The status document of an async job (CONTRACT.md, `GET /v1/jobs/{id}`):
/// `{"id", "status", "attempts", "response"}`.
public struct JobStatus: Sendable, Equatable {
    /// The job's `status` field.
    public enum State: String, Sendable, Codable {
        /// On the queue, waiting for a worker.
        case queued
        /// Received by a worker (or waiting out a retry backoff).
        case running
        /// Ended with a success record.
        case succeeded
        /// Ended with a failure record, or dead-lettered.
        case failed
    }

    /// The job id.
    public var id: String
    /// Where the job is (the document's `status`).
    public var state: State
    /// Deliveries so far (SQS receive count; 0 while never received).
    public var attempts: Int
    /// The contract response as JSON text, once the job has ended.
    public var response: String?

    /// A status document from its fields.
    public init(id: String, state: State, attempts: Int, response: String?) {
        self.id = id
        self.state = state
        self.attempts = attempts
        self.response = response
    }

    /// The document as JSON text, the response embedded as it was recorded.
    public var jsonText: String {
        let head = JSONValue.object(["id": .string(id), "status": .string(state.rawValue), "attempts": .number(Double(attempts))]).jsonText
        return head.dropLast() + #","response":\#(response ?? "null")}"#
    }
}
