import Foundation

/// A message as a consumer receives it (SQS `Message`): the body, the handle that names this
/// delivery, and how many times the message has been delivered, this time included.
public struct QueueMessage: Sendable, Equatable {
    /// The backend's id of the message (SQS `MessageId`).
    public var messageID: String
    /// The job id the producer attached (SciLearn's `submit` always does); nil for a message
    /// some other producer sent, whose worker then reads the id from the body.
    public var jobID: String?
    /// The request, byte for byte as sent.
    public var body: [UInt8]
    /// Names this delivery: `delete` and `changeVisibility` take it. A later delivery of the
    /// same message has another handle, and the old one no longer acts.
    public var receiptHandle: String
    /// Deliveries so far, this one included (SQS `ApproximateReceiveCount`).
    public var receiveCount: Int
    /// When the message was first sent.
    public var sentAt: Date

    /// A message from its fields (backends build these on receive).
    public init(messageID: String, jobID: String?, body: [UInt8], receiptHandle: String, receiveCount: Int, sentAt: Date) {
        self.messageID = messageID
        self.jobID = jobID
        self.body = body
        self.receiptHandle = receiptHandle
        self.receiveCount = receiveCount
        self.sentAt = sentAt
    }
}
