/// A message queue with Amazon SQS's semantics, the one interface the worker and the front ends
/// use, so that moving from the embedded queue to SQS changes a URI, not behaviour.
///
/// At-least-once: a received message becomes invisible for its visibility timeout and comes
/// back (with a higher receive count) unless it is deleted first. Receipt handles name one
/// delivery: after the message is delivered again, the old handle no longer acts.
public protocol JobQueue: Sendable {
    /// Sends messages; when it returns, every one is durable (SQLite: committed with
    /// `synchronous=FULL`).
    func send(_ messages: [OutgoingMessage]) async throws -> [SentMessage]

    /// Receives up to `max` visible messages, making each invisible for `visibilityTimeout`.
    /// With none visible, waits up to `wait` for one (long poll) before returning empty.
    func receive(max: Int, visibilityTimeout: Duration, wait: Duration) async throws -> [QueueMessage]

    /// Deletes delivered messages by receipt handle. A stale handle (the message was delivered
    /// again since) deletes nothing.
    func delete(_ receiptHandles: [String]) async throws

    /// Sets each message's remaining invisibility to `timeout` from now (0 makes it visible at
    /// once): the heartbeat of a long job, the backoff of a retry, the release of a message a
    /// stopping worker did not finish.
    func changeVisibility(_ receiptHandles: [String], timeout: Duration) async throws

    /// Moves a delivered message to the dead-letter queue, with the reason.
    func deadLetter(_ message: QueueMessage, reason: String) async throws

    /// Moves up to `limit` dead letters (all when nil) back to the queue, oldest first, with
    /// their receive counts reset. Returns how many moved.
    func redrive(limit: Int?) async throws -> Int

    /// Where the live or dead-lettered message of `jobID` is; nil when the queue holds none.
    func state(ofJob jobID: String) async throws -> MessageState?

    /// The number of messages by state.
    func depth() async throws -> QueueDepth
}

extension JobQueue {
    /// Sends one message.
    public func send(_ message: OutgoingMessage) async throws -> SentMessage {
        try await send([message])[0]
    }
}
