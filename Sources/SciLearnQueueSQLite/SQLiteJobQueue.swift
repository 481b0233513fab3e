import Foundation
import GRDB
import SciLearnQueue

/// The embedded queue: SQS semantics in one SQLite file (``SQLiteStore``), durable and safe for
/// several worker processes at once.
///
/// - `receive` selects the oldest visible messages and makes them invisible in one IMMEDIATE
///   transaction, so two processes never receive the same message within its visibility timeout.
/// - A receipt handle is `seq:receive_count`: a later delivery bumps the count, so a stale
///   handle matches no row and acts on nothing.
/// - One live message per job id: sending a job id already queued returns the existing message
///   (`duplicate: true`).
/// - Long poll: an empty receive waits for a send in this process (woken at once) or polls the
///   file every ``pollInterval`` for other processes' sends.
///
/// Complexity: `receive` is O(max · log n) on the `(visible_at, seq)` index; a durable commit
/// costs one fsync whatever its batch size.
public struct SQLiteJobQueue: PurgeableQueue {
    /// The SQLite file holding the queue.
    public let store: SQLiteStore
    /// How often an empty long poll re-reads the file.
    public var pollInterval: Duration
    private let wake: WakeSignal
    /// Where visibility timeouts and timestamps are read (the system clock but in tests).
    let clock: any QueueClock

    private static let wakes = WakeRegistry()

    /// The queue in `store`; an empty long poll re-reads the file every `pollInterval`;
    /// visibility timeouts run on `clock`.
    public init(store: SQLiteStore, pollInterval: Duration = .milliseconds(10), clock: any QueueClock = SystemQueueClock()) {
        self.store = store
        self.pollInterval = pollInterval
        self.clock = clock
        self.wake = Self.wakes.signal(for: store.path)
    }

    /// Queues the messages in one durable transaction (one fsync); a job id with a live message returns that one (`duplicate: true`).
    public func send(_ messages: [OutgoingMessage]) async throws -> [SentMessage] {
        guard !messages.isEmpty else { return [] }
        let now = clock.now.timeIntervalSince1970
        let sent = try await store.write { db in
            try messages.map { m in
                if let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM messages WHERE job_id = ?", arguments: [m.jobID]) {
                    return SentMessage(messageID: String(seq), jobID: m.jobID, duplicate: true)
                }
                let payload = try SQLiteStore.insertPayload(m.body, db)
                let seq = try Int64.fetchOne(db, sql: """
                    INSERT INTO messages (job_id, payload_id, sent_at, visible_at) VALUES (?, ?, ?, ?) RETURNING seq
                    """, arguments: [m.jobID, payload, now, now])!
                return SentMessage(messageID: String(seq), jobID: m.jobID, duplicate: false)
            }
        }
        wake.signal()
        return sent
    }

    /// Receives up to `max` of the oldest visible messages in one IMMEDIATE transaction, long-polling up to `wait`; throws for `max` outside 1...10000.
    public func receive(max: Int, visibilityTimeout: Duration, wait: Duration) async throws -> [QueueMessage] {
        guard (1...10_000).contains(max) else { throw QueueError(.invalidArgument, "receive: max must be in 1...10000, not \(max)") }
        guard visibilityTimeout >= .zero else { throw QueueError(.invalidArgument, "receive: the visibility timeout must be >= 0") }
        let deadline = ContinuousClock.now + wait
        var polling = false
        while true {
            let generation = wake.generation
            let got = try await receiveNow(max: max, visibilityTimeout: visibilityTimeout.seconds, peekFirst: polling)
            polling = true
            if !got.isEmpty { return got }
            let left = deadline - ContinuousClock.now
            if left <= .zero || Task.isCancelled { return [] }
            await wake.wait(after: generation, upTo: min(left, pollInterval))
        }
    }

    private func receiveNow(max: Int, visibilityTimeout: Double, peekFirst: Bool) async throws -> [QueueMessage] {
        if peekFirst {
            // While polling an empty queue, a cheap read first: empty polls never take the
            // write lock.
            let now = clock.now.timeIntervalSince1970
            let any = try await store.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM messages WHERE visible_at <= ? LIMIT 1", arguments: [now]) ?? false
            }
            guard any else { return [] }
        }
        return try await store.write(durable: false) { db in
            let now = clock.now.timeIntervalSince1970
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.seq, m.job_id, p.body, m.sent_at, m.receive_count
                FROM messages m JOIN payloads p ON p.id = m.payload_id
                WHERE m.visible_at <= ? ORDER BY m.visible_at, m.seq LIMIT ?
                """, arguments: [now, max])
            let update = try db.cachedStatement(sql: "UPDATE messages SET visible_at = ?, receive_count = ? WHERE seq = ?")
            return try rows.map { row in
                let seq: Int64 = row["seq"]
                let count: Int = row["receive_count"] + 1
                try update.execute(arguments: [now + visibilityTimeout, count, seq])
                return QueueMessage(
                    messageID: String(seq),
                    jobID: row["job_id"],
                    body: SQLiteStore.body(row),
                    receiptHandle: "\(seq):\(count)",
                    receiveCount: count,
                    sentAt: Date(timeIntervalSince1970: row["sent_at"])
                )
            }
        }
    }

    /// Deletes the messages whose handles are current, and their bodies unless still referred to; throws for a malformed handle.
    public func delete(_ receiptHandles: [String]) async throws {
        let handles = try receiptHandles.map(Self.parse)
        guard !handles.isEmpty else { return }
        try await store.write(durable: false) { db in try Self.delete(handles, db) }
    }

    /// Deletes the messages the handles name, and their payloads unless a record or dead
    /// letter refers to them (`referenced`: payloads known to be, whose check is skipped).
    static func delete(_ handles: [(seq: Int64, count: Int)], _ db: Database, referenced: Set<Int64> = []) throws {
        let statement = try db.cachedStatement(sql: "DELETE FROM messages WHERE seq = ? AND receive_count = ? RETURNING payload_id")
        for h in handles {
            if let payload = try Int64.fetchOne(statement, arguments: [h.seq, h.count]), !referenced.contains(payload) {
                try SQLiteStore.releasePayload(payload, db)
            }
        }
    }

    /// Makes the messages whose handles are current invisible for `timeout` from now; throws for a negative timeout or a malformed handle.
    public func changeVisibility(_ receiptHandles: [String], timeout: Duration) async throws {
        guard timeout >= .zero else { throw QueueError(.invalidArgument, "changeVisibility: the timeout must be >= 0") }
        let handles = try receiptHandles.map(Self.parse)
        guard !handles.isEmpty else { return }
        let seconds = timeout.seconds
        try await store.write(durable: false) { db in
            let visibleAt = clock.now.timeIntervalSince1970 + seconds
            let statement = try db.cachedStatement(sql: "UPDATE messages SET visible_at = ? WHERE seq = ? AND receive_count = ?")
            for h in handles { try statement.execute(arguments: [visibleAt, h.seq, h.count]) }
        }
        if timeout == .zero { wake.signal() }
    }

    /// Moves the message, if its handle is current, to `dead_letters` with the reason, in one durable transaction.
    public func deadLetter(_ message: QueueMessage, reason: String) async throws {
        let h = try Self.parse(message.receiptHandle)
        let now = clock.now.timeIntervalSince1970
        try await store.write { db in try Self.deadLetter(h, reason: reason, at: now, db) }
    }

    /// Moves the delivered message to `dead_letters`, its body with it.
    static func deadLetter(_ h: (seq: Int64, count: Int), reason: String, at now: Double, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO dead_letters (seq, job_id, payload_id, sent_at, receive_count, dead_lettered_at, reason)
            SELECT seq, job_id, payload_id, sent_at, receive_count, ?, ? FROM messages WHERE seq = ? AND receive_count = ?
            """, arguments: [now, reason, h.seq, h.count])
        try db.execute(sql: "DELETE FROM messages WHERE seq = ? AND receive_count = ?", arguments: [h.seq, h.count])
    }

    /// Moves up to `limit` dead letters (all when nil) back, oldest first, receive counts reset (a job with a live message keeps it); returns how many.
    public func redrive(limit: Int?) async throws -> Int {
        if let limit, limit < 1 { throw QueueError(.invalidArgument, "redrive: the limit must be >= 1, not \(limit)") }
        let moved = try await store.write { db in
            let now = clock.now.timeIntervalSince1970
            let rows = try Row.fetchAll(db, sql: "SELECT seq, job_id, payload_id, sent_at FROM dead_letters ORDER BY dead_lettered_at, seq LIMIT ?", arguments: [limit ?? -1])
            for row in rows {
                // A job sent again since it died keeps its newer message.
                try db.execute(sql: """
                    INSERT INTO messages (job_id, payload_id, sent_at, visible_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (job_id) DO NOTHING
                    """, arguments: [row["job_id"] as String, row["payload_id"] as Int64, row["sent_at"] as Double, now])
                try db.execute(sql: "DELETE FROM dead_letters WHERE seq = ?", arguments: [row["seq"] as Int64])
                try SQLiteStore.releasePayload(row["payload_id"], db)
            }
            return rows.count
        }
        if moved > 0 { wake.signal() }
        return moved
    }

    /// Where the job's live message is (queued or in flight), else its latest dead letter; nil when neither.
    public func state(ofJob jobID: String) async throws -> MessageState? {
        let now = clock.now.timeIntervalSince1970
        return try await store.read { db in
            if let row = try Row.fetchOne(db, sql: "SELECT visible_at, receive_count FROM messages WHERE job_id = ?", arguments: [jobID]) {
                let count: Int = row["receive_count"]
                let visibleAt: Double = row["visible_at"]
                return visibleAt > now ? .inFlight(receiveCount: count) : .queued(receiveCount: count)
            }
            if let count = try Int.fetchOne(db, sql: "SELECT receive_count FROM dead_letters WHERE job_id = ? ORDER BY dead_lettered_at DESC LIMIT 1", arguments: [jobID]) {
                return .deadLettered(receiveCount: count)
            }
            return nil
        }
    }

    /// The counts of visible, in-flight and dead-lettered messages, from one read snapshot.
    public func depth() async throws -> QueueDepth {
        let now = clock.now.timeIntervalSince1970
        return try await store.read { db in
            let visible = try Int.fetchOne(db, sql: "SELECT count(*) FROM messages WHERE visible_at <= ?", arguments: [now]) ?? 0
            let all = try Int.fetchOne(db, sql: "SELECT count(*) FROM messages") ?? 0
            let dead = try Int.fetchOne(db, sql: "SELECT count(*) FROM dead_letters") ?? 0
            return QueueDepth(visible: visible, inFlight: all - visible, deadLettered: dead)
        }
    }

    /// Deletes every message and dead letter (the records stay). Returns how many went.
    public func purge() async throws -> Int {
        try await store.write { db in
            try db.execute(sql: "DELETE FROM messages")
            var n = db.changesCount
            try db.execute(sql: "DELETE FROM dead_letters")
            n += db.changesCount
            try SQLiteStore.releaseOrphanPayloads(db)
            return n
        }
    }

    static func parse(_ handle: String) throws -> (seq: Int64, count: Int) {
        let parts = handle.split(separator: ":")
        guard parts.count == 2, let seq = Int64(parts[0]), let count = Int(parts[1]) else {
            throw QueueError(.invalidArgument, "'\(handle)' is not a receipt handle of this queue")
        }
        return (seq, count)
    }
}
