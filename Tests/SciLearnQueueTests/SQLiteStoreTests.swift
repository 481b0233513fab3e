import Foundation
import GRDB
import Logging
import Testing
@testable import SciLearnQueue
@testable import SciLearnQueueSQLite
import SciLearnBackends

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

/// A body is stored once and kept exactly as long as a message, dead letter or record refers to
/// it.
@Suite struct SQLitePayloadTests {
    static func counts(_ path: String) throws -> (payloads: Int, messages: Int) {
        try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM payloads")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM messages")!)
        }
    }

    @Test func bodiesAreStoredOnceAndReleasedWithTheirLastReference() async throws {
        let path = try TemporaryDirectory.make().appendingPathComponent("q.db").path
        let b = try JobBackend.open(queue: "sqlite:" + path)
        let bad = Array(#"{"id":"bad","task":"linear_regression","data":{"X":[[1],[2]],"y":[1]}}"#.utf8)
        _ = try await b.queue.send([QueueTestData.message("ok"), QueueTestData.message("bad", body: bad)])
        // A job already recorded: its new message is deleted without running, its body released.
        try await b.success.put([DestinationRecord(
            jobID: "done", condition: .success, approximateInvokeCount: 1, timestamp: Date(), statusCode: 200,
            requestPayload: QueueTestData.ols("done"), responsePayload: "{}"
        )])
        _ = try await b.queue.send(QueueTestData.message("done"))
        #expect(try Self.counts(path) == (4, 3))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let w = RunningWorker(try QueueWorker(
            queue: b.queue, success: b.success, failure: b.failure,
            configuration: QueueWorkerConfiguration(concurrency: 2, wait: .milliseconds(50)), logger: logger
        ))
        #expect(try await QueueTestData.eventually { try Self.counts(path).messages == 0 })
        try await w.stop()
        #expect(try Self.counts(path) == (3, 0), "one body per record: ok, bad, done")
        #expect(try await b.success.record(for: "ok")?.requestPayload == QueueTestData.ols("ok"))
        #expect(try await b.failure.record(for: "bad")?.requestPayload == bad)
        #expect(try await b.success.record(for: "done")?.requestPayload == QueueTestData.ols("done"))
        _ = try await (b.success as! SQLiteDestination).purge()
        _ = try await (b.failure as! SQLiteDestination).purge()
        #expect(try Self.counts(path) == (0, 0))
    }

    @Test func aDeadLetterAndItsRecordShareOneBody() async throws {
        let path = try TemporaryDirectory.make().appendingPathComponent("q.db").path
        let b = try JobBackend.open(queue: "sqlite:" + path)
        _ = try await b.queue.send(QueueTestData.message("poison"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = ScriptedRunner { _, id, _, _ in .failure(.internal, "boom", id: id) }
        let w = RunningWorker(try QueueWorker(
            queue: b.queue, success: b.success, failure: b.failure,
            configuration: QueueWorkerConfiguration(concurrency: 1, maxReceiveCount: 1, wait: .milliseconds(50)), logger: logger,
            runner: runner.runner
        ))
        #expect(try await QueueTestData.eventually { try await b.queue.depth().deadLettered == 1 })
        try await w.stop()
        #expect(try Self.counts(path) == (1, 0), "one body, for the dead letter and the record")
        #expect(try await b.failure.record(for: "poison")?.requestPayload == QueueTestData.ols("poison"))
        #expect(try await b.queue.redrive(limit: nil) == 1)
        #expect(try Self.counts(path) == (1, 1), "redriven: the same body, now the message's")
    }
}

