/// The acknowledgement of one sent message. Once a backend returns it, the message is durable.
public struct SentMessage: Sendable, Equatable {
    /// The backend's id of the message (the existing one's for a duplicate).
    public var messageID: String
    /// The job id it was sent under.
    public var jobID: String
    /// True when the backend already held a live message for this job id and kept that one
    /// instead (SQLite; SQS standard queues never de-duplicate).
    public var duplicate: Bool

    /// An acknowledgement from its fields.
    public init(messageID: String, jobID: String, duplicate: Bool) {
        self.messageID = messageID
        self.jobID = jobID
        self.duplicate = duplicate
    }
}
