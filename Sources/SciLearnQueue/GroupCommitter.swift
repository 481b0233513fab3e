import GRDB
import Synchronization

/// Group commit of finished jobs: each finished job hands over its record (if any) and its
/// receipt handle and waits; one commit at a time writes everything handed over since the last
/// one, records first, deletes after. When queue and destinations share one SQLite file the
/// two go in one transaction (one fsync for the whole group).
actor GroupCommitter {
    private let queue: any JobQueue
    private let success: any JobDestination
    private let failure: any JobDestination
    private let sharedStore: SQLiteStore?

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
        if let q = queue as? SQLiteJobQueue, let s = success as? SQLiteDestination, let f = failure as? SQLiteDestination,
           q.store === s.store, s.store === f.store, s.table == .success, f.table == .failure {
            sharedStore = q.store
        } else {
            sharedStore = nil
        }
    }

    /// Records `RetriesExhausted` and moves the message to the dead-letter queue: one
    /// transaction on a shared SQLite file (the record refers to the dead letter's body), else
    /// the record first. Not grouped: it is rare.
    func deadLetter(_ record: DestinationRecord, message: QueueMessage, reason: String) async throws {
        guard let store = sharedStore else {
            try await failure.put([record])
            try await queue.deadLetter(message, reason: reason)
            return
        }
        let handle = try SQLiteJobQueue.parse(message.receiptHandle)
        try await store.write { db in
            let payload = try Self.payloadID(of: handle, db)
            try SQLiteDestination.insert([record], into: .failure, payloads: [payload], db)
            try SQLiteJobQueue.deadLetter(handle, reason: reason, db)
        }
    }

    /// The stored body of the message `handle` names, if it is still there.
    private static func payloadID(of handle: (seq: Int64, count: Int), _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT payload_id FROM messages WHERE seq = ?"), arguments: [handle.seq])
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
        if let store = sharedStore {
            let handles = try d.map(SQLiteJobQueue.parse)
            let successHandles = try s.map { try SQLiteJobQueue.parse($0.receiptHandle) }
            let failureHandles = try f.map { try SQLiteJobQueue.parse($0.receiptHandle) }
            try await store.write { db in
                // The records refer to their messages' stored bodies rather than copying them.
                let kept = try SQLiteDestination.insert(s.map(\.record), into: .success, payloads: successHandles.map { try Self.payloadID(of: $0, db) }, db)
                    .union(SQLiteDestination.insert(f.map(\.record), into: .failure, payloads: failureHandles.map { try Self.payloadID(of: $0, db) }, db))
                try SQLiteJobQueue.delete(handles, db, referenced: kept)
            }
        } else {
            try await success.put(s.map(\.record))
            try await failure.put(f.map(\.record))
            try await queue.delete(d)
        }
    }
}
