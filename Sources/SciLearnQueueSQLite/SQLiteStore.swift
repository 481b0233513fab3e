import Foundation
import GRDB
import SciLearnQueue
import Synchronization

/// One SQLite file holding the embedded backend: the queue (`messages`), its dead-letter queue
/// (`dead_letters`) and the destination tables (`success_records`, `failure_records`).
///
/// WAL mode, `synchronous=FULL` (a commit is on disk before it returns), writes in IMMEDIATE
/// transactions and a busy timeout, so several processes can share the file safely; within one
/// process every user of a path shares one connection pool.
public final class SQLiteStore: Sendable {
    /// The file's standardized path (the key of its one instance per process).
    public let path: String
    let pool: DatabasePool

    /// How long a write waits for another process's write lock before failing.
    static let busyTimeout: TimeInterval = 30

    private static let open = Mutex<[String: SQLiteStore]>([:])

    /// The store of `path`, created with its schema if new; one instance per path per process.
    public static func at(_ path: String) throws -> SQLiteStore {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        return try open.withLock { stores in
            if let s = stores[key] { return s }
            let s = try SQLiteStore(path: key)
            stores[key] = s
            return s
        }
    }

    private init(path: String) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(Self.busyTimeout)
            configuration.label = "scilearn.queue"
            // Debian builds SQLite with secure_delete on: every deleted 116 KB body would be
            // overwritten with zeros, a second write of it. FAST zeroes only what costs no I/O.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = FAST") }
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.write { db in try db.execute(sql: Self.schema) }
        } catch {
            throw QueueError(.backend, "cannot open the queue database \(path): \(error)")
        }
    }

    /// Runs `body` in one IMMEDIATE transaction, mapping SQLite's errors to ``QueueError``.
    ///
    /// A `durable` commit (`synchronous=FULL`) is on disk when this returns. A non-durable one
    /// (`synchronous=NORMAL`: no fsync of its own; the next durable commit of any process
    /// carries it to disk) is only for bookkeeping whose loss in a crash is harmless: a receive
    /// (the message is simply visible again), a delete after a recorded result (the redelivery
    /// is recognised and deleted), a visibility change.
    func write<T: Sendable>(durable: Bool = true, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let e as QueueError {
            throw e
        } catch {
            throw QueueError(.backend, "queue database \(path): \(error)")
        }
    }

    /// Runs `body` on a read-only snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw QueueError(.backend, "queue database \(path): \(error)")
        }
    }

    /// The tables. A request body is stored once, in `payloads`, and referred to by its message,
    /// then by its dead letter or its record: finishing a job writes no second copy of its body.
    /// `messages.seq` is AUTOINCREMENT so that an id is never reused (a stale receipt handle can
    /// never name a newer message); `job_id` is UNIQUE: one live message per job.
    static let schema = """
        CREATE TABLE IF NOT EXISTS payloads (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            body BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT NOT NULL UNIQUE,
            payload_id INTEGER NOT NULL,
            sent_at REAL NOT NULL,
            visible_at REAL NOT NULL,
            receive_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (visible_at, seq);
        CREATE INDEX IF NOT EXISTS messages_by_payload ON messages (payload_id);
        CREATE TABLE IF NOT EXISTS dead_letters (
            seq INTEGER PRIMARY KEY,
            job_id TEXT NOT NULL,
            payload_id INTEGER NOT NULL,
            sent_at REAL NOT NULL,
            receive_count INTEGER NOT NULL,
            dead_lettered_at REAL NOT NULL,
            reason TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS dead_letters_by_job ON dead_letters (job_id);
        CREATE INDEX IF NOT EXISTS dead_letters_by_payload ON dead_letters (payload_id);
        \(recordTable("success_records"))
        \(recordTable("failure_records"))
        """

    /// The two destination tables have one layout.
    private static func recordTable(_ name: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(name) (
            job_id TEXT PRIMARY KEY,
            condition TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            recorded_at REAL NOT NULL,
            status_code INTEGER NOT NULL,
            payload_id INTEGER NOT NULL,
            response TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS \(name)_by_payload ON \(name) (payload_id);
        """
    }

    /// Stores a body; returns its payload id.
    static func insertPayload(_ body: [UInt8], _ db: Database) throws -> Int64 {
        // An empty Data binds as NULL; an empty blob is still a body.
        try Int64.fetchOne(db, sql: "INSERT INTO payloads (body) VALUES (coalesce(?, x'')) RETURNING id", arguments: [Data(body)])!
    }

    /// Reads a body (an empty blob may read back as NULL).
    static func body(_ row: Row, _ column: String = "body") -> [UInt8] {
        // Through the raw bytes: one memcpy (`[UInt8](data)` copies a Data element by element).
        guard let data = row[column] as Data? else { return [] }
        return data.withUnsafeBytes { [UInt8]($0) }
    }

    /// Deletes a payload nothing refers to any more.
    static func releasePayload(_ id: Int64, _ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM payloads WHERE id = ?1
            AND NOT EXISTS (SELECT 1 FROM messages WHERE payload_id = ?1)
            AND NOT EXISTS (SELECT 1 FROM dead_letters WHERE payload_id = ?1)
            AND NOT EXISTS (SELECT 1 FROM success_records WHERE payload_id = ?1)
            AND NOT EXISTS (SELECT 1 FROM failure_records WHERE payload_id = ?1)
            """, arguments: [id])
    }

    /// Deletes every payload nothing refers to (after a purge).
    static func releaseOrphanPayloads(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM payloads WHERE id NOT IN (
                SELECT payload_id FROM messages UNION SELECT payload_id FROM dead_letters
                UNION SELECT payload_id FROM success_records UNION SELECT payload_id FROM failure_records)
            """)
    }
}
