import Foundation
import GRDB
import SciLearnQueue
@testable import SciLearnQueueSQLite
import SciLearnBackends
import SciLearnTestSupport
import Testing

/// Worker processes on one SQLite file: never two runs of a message within its visibility
/// timeout, and, in the manner of Jepsen's total-queue check, no acknowledged job lost across
/// `kill -9`s.
@Suite(.serialized, .ownThread(.waiting)) struct WorkerProcessTests {
    struct Setup {
        let directory: URL
        let path: String
        let backend: JobBackend
        var uri: String { "sqlite:" + path }
        var runLog: URL { directory.appendingPathComponent("runs.log") }

        init() throws {
            directory = try TemporaryDirectory.make()
            path = directory.appendingPathComponent("queue.db").path
            backend = try JobBackend.open(queue: "sqlite:" + path)
        }

        /// Sends `n` jobs in batches of 100, returning the ids each acknowledged send covered.
        /// Every 20th job is a client error (y shorter than X).
        func submit(_ n: Int) async throws -> Set<String> {
            var acknowledged = Set<String>()
            for start in stride(from: 0, to: n, by: 100) {
                let batch = (start..<min(start + 100, n)).map { i -> OutgoingMessage in
                    let id = String(format: "job-%05d", i)
                    let y = i % 20 == 19 ? "[1,2]" : "[1,2,3,\(i % 7)]"
                    return OutgoingMessage(body: Array(#"{"id":"\#(id)","task":"linear_regression","data":{"X":[[1],[2],[3],[4]],"y":\#(y)}}"#.utf8), jobID: id)
                }
                let sent = try await backend.queue.send(batch)
                acknowledged.formUnion(sent.map(\.jobID))
            }
            return acknowledged
        }

        /// Job ids by table, read straight from the file.
        func recorded() throws -> (success: [String], failure: [String: String]) {
            let db = try DatabaseQueue(path: path)
            return try db.read { db in
                let s = try String.fetchAll(db, sql: "SELECT job_id FROM success_records")
                let f = try Row.fetchAll(db, sql: "SELECT job_id, condition FROM failure_records")
                return (s, Dictionary(uniqueKeysWithValues: f.map { ($0["job_id"] as String, $0["condition"] as String) }))
            }
        }

        /// Counted on a thread of its own: a synchronous read of a file two workers are writing
        /// must not hold one of the test runner's two cooperative threads every 5 ms (it starved
        /// the other suites' workers and servers once).
        func recordCount() async throws -> Int {
            try await OwnThread.run {
                let (s, f) = try recorded()
                return s.count + f.count
            }
        }

        func waitUntilDrained(within seconds: Double) async throws -> Bool {
            try await QueueTestData.eventually(within: seconds) {
                let d = try await backend.queue.depth()
                return d.visible == 0 && d.inFlight == 0
            }
        }
    }

    @Test func twoWorkerProcessesNeverRunTheSameMessage() async throws {
        let s = try Setup()
        let acknowledged = try await s.submit(600)
        let workers = try (0..<2).map { try WorkerProcess(queue: s.uri, runLog: s.runLog, directory: s.directory, name: "w\($0)") }
        let drained = try await s.waitUntilDrained(within: 120)
        let statuses = try await OwnThread.run { workers.map { $0.terminate() } }
        #expect(drained)
        #expect(statuses == [0, 0], "SIGTERM exits 0; logs: \(workers.map(\.logText))")
        let runs = try WorkerProcess.runs(in: s.runLog)
        #expect(runs.count == 600)
        #expect(runs.values.allSatisfy { $0 == 1 }, "ran twice: \(runs.filter { $0.value > 1 }.keys.sorted())")
        let (success, failure) = try s.recorded()
        #expect(Set(success).union(failure.keys) == acknowledged)
        #expect(failure.count == 30)
    }

    /// The total-queue check: 10,000 acknowledged jobs, two workers, six `kill -9`s at points
    /// spread over the run (each killed worker restarted), drain. Every acknowledged job ends in
    /// exactly one of the success and failure records (lost = 0, unexpected = 0), and only jobs
    /// in flight at a kill ran twice: at most kills × 2 × `unsettledPerSlot` (a worker of 2 slots
    /// holds at most that many messages unsettled: running, or run and awaiting their commit).
    @Test func killNineLosesNothing() async throws {
        let s = try Setup()
        let total = 10_000
        let acknowledged = try await s.submit(total)
        #expect(acknowledged.count == total)
        // (5 s: a killed worker's messages come back soon, and a live worker stalled by a loaded
        // machine for a fraction of that keeps its own; at 1 s such a stall let the other worker
        // take and run them too, against the bound on jobs run twice.)
        let extra = ["--visibility-timeout", "5", "--max-receive-count", "5"]
        var workers = try (0..<2).map { try WorkerProcess(queue: s.uri, runLog: s.runLog, extra: extra, directory: s.directory, name: "w\($0)-0") }
        var kills = 0
        for (k, fraction) in [0.1, 0.25, 0.4, 0.55, 0.7, 0.85].enumerated() {
            let reached = try await QueueTestData.eventually(within: 120) { try await s.recordCount() >= Int(Double(total) * fraction) }
            try #require(reached, "progress stalled before \(fraction)")
            let victim = k % 2
            let victimProcess = workers[victim]
            try await OwnThread.run { victimProcess.kill9() }
            kills += 1
            workers[victim] = try WorkerProcess(queue: s.uri, runLog: s.runLog, extra: extra, directory: s.directory, name: "w\(victim)-\(k + 1)")
        }
        let drained = try await s.waitUntilDrained(within: 300)
        let running = workers
        let statuses = try await OwnThread.run { running.map { $0.terminate() } }
        #expect(drained)
        #expect(statuses == [0, 0], "SIGTERM exits 0")

        let (success, failure) = try s.recorded()
        let recorded = Set(success).union(failure.keys)
        let lost = acknowledged.subtracting(recorded)
        let unexpected = recorded.subtracting(acknowledged)
        let both = Set(success).intersection(failure.keys)
        let runs = try WorkerProcess.runs(in: s.runLog)
        let twice = runs.filter { $0.value > 1 }
        let deadLettered = failure.filter { $0.value == "RetriesExhausted" }.count
        print("kill -9 check: acknowledged \(acknowledged.count), success \(success.count), failure \(failure.count) (dead-lettered \(deadLettered)), lost \(lost.count), unexpected \(unexpected.count), in both \(both.count), kills \(kills), ran twice \(twice.count), runs \(runs.values.reduce(0, +))")
        #expect(lost.isEmpty, "lost: \(lost.sorted().prefix(10))")
        #expect(unexpected.isEmpty)
        #expect(both.isEmpty)
        #expect(success.count + failure.count == total)
        #expect(failure.count - deadLettered == total / 20, "every client error, once")
        let unsettled = 2 * QueueWorkerConfiguration.unsettledPerSlot
        #expect(twice.count <= kills * unsettled, "only jobs in flight at a kill run twice: \(twice.count) > \(kills) kills × \(unsettled) unsettled")
        #expect(twice.values.allSatisfy { $0 <= 1 + kills })
    }
}
