/// The acknowledgement of one sent message. Once a backend returns it, the message is durable.
public struct SentMessage: Sendable, Equatable {
    public var messageID: String
    public var jobID: String
    /// True when the backend already held a live message for this job id and kept that one
    /// instead (SQLite; SQS standard queues never de-duplicate).
    public var duplicate: Bool

    public init(messageID: String, jobID: String, duplicate: Bool) {
        self.messageID = messageID
        self.jobID = jobID
        self.duplicate = duplicate
    }
}
