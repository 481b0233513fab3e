import Synchronization

/// Group commit of finished jobs: each finished job hands over its record (if any) and its
/// receipt handle and waits; one commit at a time writes everything handed over since the last
/// one, records first, deletes after. When the queue ends jobs atomically with its destinations
/// (``AtomicCommitting``: queue and destinations in one SQLite file) the two go in one
/// transaction (one fsync for the whole group).
actor GroupCommitter {
    private let queue: any JobQueue
    private let success: any JobDestination
    private let failure: any JobDestination
    private let atomic: (any AtomicCommit)?

    /// A record with the receipt handle of the message it ends.
    struct Pending: Sendable {
        var record: DestinationRecord
        var receiptHandle: String
    }

    private var successes: [Pending] = []
    private var failures: [Pending] = []
    private var deletes: [String] = []
    private var waiters: [CheckedContinuation<Void, any Error>] = []
    private var flushing = false

    init(queue: any JobQueue, success: any JobDestination, failure: any JobDestination) {
        self.queue = queue
        self.success = success
        self.failure = failure
        atomic = (queue as? any AtomicCommitting)?.atomicCommit(success: success, failure: failure)
    }

    /// Records `RetriesExhausted` and moves the message to the dead-letter queue: one
    /// transaction on a shared SQLite file (the record refers to the dead letter's body), else
    /// the record first. Not grouped: it is rare.
    func deadLetter(_ record: DestinationRecord, message: QueueMessage, reason: String) async throws {
        guard let atomic else {
            try await failure.put([record])
            try await queue.deadLetter(message, reason: reason)
            return
        }
        try await atomic.deadLetter(record, message: message, reason: reason)
    }

    func commit(success: DestinationRecord?, failure: DestinationRecord?, delete: String) async throws {
        if let success { successes.append(Pending(record: success, receiptHandle: delete)) }
        if let failure { failures.append(Pending(record: failure, receiptHandle: delete)) }
        deletes.append(delete)
        try await withCheckedThrowingContinuation { c in
            waiters.append(c)
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !waiters.isEmpty {
            let (s, f, d, w) = (successes, failures, deletes, waiters)
            successes = []
            failures = []
            deletes = []
            waiters = []
            do {
                try await write(s, f, d)
                for c in w { c.resume() }
            } catch {
                for c in w { c.resume(throwing: error) }
            }
        }
        flushing = false
    }

    private func write(_ s: [Pending], _ f: [Pending], _ d: [String]) async throws {
        if let atomic {
            try await atomic.commit(successes: s.map { ($0.record, $0.receiptHandle) },
                                    failures: f.map { ($0.record, $0.receiptHandle) }, deletes: d)
        } else {
            try await success.put(s.map(\.record))
            try await failure.put(f.map(\.record))
            try await queue.delete(d)
        }
    }
}
