import GRDB
import SciLearnQueue

/// Ends jobs in one transaction of the SQLite file that holds the queue and both destinations:
/// the records refer to their messages' stored bodies rather than copying them, and the
/// messages are deleted in the same commit.
struct SQLiteAtomicCommit: AtomicCommit {
    let store: SQLiteStore
    /// The queue's clock (the dead letters' timestamps).
    let clock: any QueueClock

    func commit(successes: [(record: DestinationRecord, receiptHandle: String)],
                failures: [(record: DestinationRecord, receiptHandle: String)], deletes: [String]) async throws {
        let handles = try deletes.map(SQLiteJobQueue.parse)
        let successHandles = try successes.map { try SQLiteJobQueue.parse($0.receiptHandle) }
        let failureHandles = try failures.map { try SQLiteJobQueue.parse($0.receiptHandle) }
        try await store.write { db in
            let kept = try SQLiteDestination.insert(successes.map(\.record), into: .success, payloads: successHandles.map { try Self.payloadID(of: $0, db) }, db)
                .union(SQLiteDestination.insert(failures.map(\.record), into: .failure, payloads: failureHandles.map { try Self.payloadID(of: $0, db) }, db))
            try SQLiteJobQueue.delete(handles, db, referenced: kept)
        }
    }

    func deadLetter(_ record: DestinationRecord, message: QueueMessage, reason: String) async throws {
        let handle = try SQLiteJobQueue.parse(message.receiptHandle)
        let now = clock.now.timeIntervalSince1970
        try await store.write { db in
            let payload = try Self.payloadID(of: handle, db)
            try SQLiteDestination.insert([record], into: .failure, payloads: [payload], db)
            try SQLiteJobQueue.deadLetter(handle, reason: reason, at: now, db)
        }
    }

    /// The stored body of the message `handle` names, if it is still there.
    private static func payloadID(of handle: (seq: Int64, count: Int), _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT payload_id FROM messages WHERE seq = ?"), arguments: [handle.seq])
    }
}

extension SQLiteJobQueue: AtomicCommitting {
    /// The one-transaction path when the destinations are this store's success and failure tables; else nil.
    public func atomicCommit(success: any JobDestination, failure: any JobDestination) -> (any AtomicCommit)? {
        guard let s = success as? SQLiteDestination, let f = failure as? SQLiteDestination,
              store === s.store, s.store === f.store, s.table == .success, f.table == .failure else { return nil }
        return SQLiteAtomicCommit(store: store, clock: clock)
    }
}
