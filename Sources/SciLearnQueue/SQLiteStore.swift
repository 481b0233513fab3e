import Foundation
import GRDB
import Synchronization

/// One SQLite file holding the embedded backend: the queue (`messages`), its dead-letter queue
/// (`dead_letters`) and the destination tables (`success_records`, `failure_records`).
///
/// WAL mode, `synchronous=FULL` (a commit is on disk before it returns), writes in IMMEDIATE
/// transactions and a busy timeout, so several processes can share the file safely; within one
/// process every user of a path shares one connection pool.
public final class SQLiteStore: Sendable {
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

    /// The tables. `messages.seq` is AUTOINCREMENT so that an id is never reused (a stale
    /// receipt handle can never name a newer message); `job_id` is UNIQUE: one live message
    /// per job.
    static let schema = """
        CREATE TABLE IF NOT EXISTS messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT NOT NULL UNIQUE,
            body BLOB NOT NULL,
            sent_at REAL NOT NULL,
            visible_at REAL NOT NULL,
            receive_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (visible_at, seq);
        CREATE TABLE IF NOT EXISTS dead_letters (
            seq INTEGER PRIMARY KEY,
            job_id TEXT NOT NULL,
            body BLOB NOT NULL,
            sent_at REAL NOT NULL,
            receive_count INTEGER NOT NULL,
            dead_lettered_at REAL NOT NULL,
            reason TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS dead_letters_by_job ON dead_letters (job_id);
        CREATE TABLE IF NOT EXISTS success_records (
            job_id TEXT PRIMARY KEY,
            condition TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            recorded_at REAL NOT NULL,
            status_code INTEGER NOT NULL,
            request_payload BLOB NOT NULL,
            response TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS failure_records (
            job_id TEXT PRIMARY KEY,
            condition TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            recorded_at REAL NOT NULL,
            status_code INTEGER NOT NULL,
            request_payload BLOB NOT NULL,
            response TEXT NOT NULL
        );
        """
}
