import Foundation
import GRDB
import Testing
@testable import SciLearnQueue

/// The durability settings of the embedded backend: WAL, and `synchronous=FULL` for every
/// commit that acknowledges something (a send, a record), NORMAL only for bookkeeping.
@Suite struct SQLiteStoreTests {
    @Test func walModeAndFullSynchronousForDurableCommits() async throws {
        let store = try SQLiteStore.at(TemporaryDirectory.make().appendingPathComponent("q.db").path)
        let mode = try await store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let relaxed = try await store.write(durable: false) { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(relaxed == 1, "NORMAL")
        let durable = try await store.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(durable == 2, "FULL, also right after a relaxed commit")
    }

    @Test func oneStorePerPathInAProcess() throws {
        let dir = try TemporaryDirectory.make()
        let a = try SQLiteStore.at(dir.appendingPathComponent("q.db").path)
        let b = try SQLiteStore.at(dir.path + "/./q.db")
        #expect(a === b)
    }

    @Test func badURIsAreRefusedNamingTheOption() throws {
        #expect(throws: QueueError(.invalidURI, "--queue: 'sqlite:' names no file; write sqlite:PATH, e.g. sqlite:./.scilearn/queue.db")) {
            try JobBackend.open(queue: "sqlite:")
        }
        #expect(throws: QueueError.self) { try JobBackend.open(queue: "redis://x") }
        #expect(throws: QueueError.self) { try JobBackend.open(queue: "https://sqs.eu-west-1.amazonaws.com/1/q") }
        #expect(throws: QueueError.self) { try JobBackend.open(queue: "sqlite:/tmp/ok.db", successDestination: "file:x") }
        let unwritable = "sqlite:/proc/no/such/dir/q.db"
        #expect(throws: QueueError.self) { try JobBackend.open(queue: unwritable) }
    }
}
