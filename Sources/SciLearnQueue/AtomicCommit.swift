/// How a backend whose queue and destinations share one store (the embedded SQLite file) ends
/// jobs in one transaction: records written and messages deleted together, one durable write for
/// a whole group. The worker's group committer uses it when the queue offers one
/// (``AtomicCommitting``); otherwise it writes records first, then deletes.
public protocol AtomicCommit: Sendable {
    /// Writes the records (each with the receipt handle of the message it ends) and deletes
    /// `deletes`, atomically.
    func commit(successes: [(record: DestinationRecord, receiptHandle: String)],
                failures: [(record: DestinationRecord, receiptHandle: String)], deletes: [String]) async throws

    /// Records a failure and moves its message to the dead-letter queue, atomically.
    func deadLetter(_ record: DestinationRecord, message: QueueMessage, reason: String) async throws
}

/// A queue that can end jobs atomically with its destinations when they share its store.
public protocol AtomicCommitting: JobQueue {
    /// The atomic path for these destinations, or nil when they are not in this queue's store.
    func atomicCommit(success: any JobDestination, failure: any JobDestination) -> (any AtomicCommit)?
}
