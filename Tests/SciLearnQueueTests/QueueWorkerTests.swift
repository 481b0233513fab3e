import Foundation
import SciLearnQueue
import SciLearnBackends
import SciLearnService
import Synchronization
import Testing
import SciLearnTestSupport
import Logging

/// The worker's semantics (CONTRACT.md, "Queue"), on both backends: destination records,
/// client errors not retried, retries with backoff then the dead-letter queue, idempotent
/// redelivery, heartbeat, capacity, drain.
@Suite struct QueueWorkerTests {
    struct Rig {
        let queue: any JobQueue
        let success: any JobDestination
        let failure: any JobDestination

        let clock: any QueueClock

        init(_ backend: Backend, clock: any QueueClock = SystemQueueClock()) throws {
            self.clock = clock
            switch backend {
            case .memory:
                queue = InMemoryJobQueue(clock: clock)
                success = InMemoryDestination(keepFirst: true)
                failure = InMemoryDestination(keepFirst: false)
            case .sqlite:
                let b = try JobBackend.open(queue: "sqlite:" + TemporaryDirectory.make().appendingPathComponent("q.db").path, clock: clock)
                (queue, success, failure) = (b.queue, b.success, b.failure)
            }
        }

        func worker(_ runner: ScriptedRunner, _ configure: (inout QueueWorkerConfiguration) -> Void = { _ in }) throws -> RunningWorker {
            var c = QueueWorkerConfiguration(concurrency: 2, wait: .milliseconds(50), drainTimeout: .seconds(5))
            configure(&c)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            return RunningWorker(try QueueWorker(queue: queue, success: success, failure: failure, configuration: c, logger: logger, runner: runner.runner, clock: clock))
        }

        func drained() async throws -> Bool {
            try await QueueTestData.eventually { try await queue.depth() == QueueDepth(visible: 0, inFlight: 0, deadLettered: 0) }
        }
    }

    @Test(arguments: Backend.allCases)
    func successRecordIsLambdaShapedAndTheMessageDeleted(_ backend: Backend) async throws {
        let rig = try Rig(backend)
        let runner = ScriptedRunner()
        _ = try await rig.queue.send(QueueTestData.message("ok-1"))
        let w = try rig.worker(runner)
        #expect(try await rig.drained())
        try await w.stop()
        let record = try #require(try await rig.success.record(for: "ok-1"))
        let json = try QueueTestData.json(record.jsonText)
        #expect(json["version"] as? String == "1.0")
        #expect((json["timestamp"] as? String)?.hasSuffix("Z") == true)
        let context = try #require(json["requestContext"] as? [String: Any])
        #expect(context["requestId"] as? String == "ok-1")
        #expect(context["condition"] as? String == "Success")
        #expect(context["approximateInvokeCount"] as? Int == 1)
        let payload = try #require(json["requestPayload"] as? [String: Any])
        #expect(payload["task"] as? String == "linear_regression")
        #expect(payload["id"] as? String == "ok-1")
        let responseContext = try #require(json["responseContext"] as? [String: Any])
        #expect(responseContext["statusCode"] as? Int == 200)
        #expect(responseContext["functionError"] == nil)
        let response = try #require(json["responsePayload"] as? [String: Any])
        #expect(response["status"] as? String == "ok")
        #expect(response["id"] as? String == "ok-1")
        #expect(record.requestPayload == QueueTestData.ols("ok-1"), "the payload is the body, byte for byte")
        #expect(try await rig.failure.outcomes(for: ["ok-1"]).isEmpty)
        #expect(w.worker.statistics.succeeded == 1)
    }

    @Test(arguments: Backend.allCases)
    func clientErrorsGoToTheFailureDestinationAtOnce(_ backend: Backend) async throws {
        let rig = try Rig(backend)
        let runner = ScriptedRunner()
        let bad = Array(#"{"id":"bad-1","task":"linear_regression","data":{"X":[[1],[2]],"y":[1]}}"#.utf8)
        let notJSON = Array("not json \u{1}".utf8)
        _ = try await rig.queue.send([
            QueueTestData.message("bad-1", body: bad), OutgoingMessage(body: notJSON, jobID: "raw-1"), OutgoingMessage(body: [], jobID: "empty-1"),
        ])
        let w = try rig.worker(runner) { $0.backoff = RetryBackoff(base: .milliseconds(10)) }
        #expect(try await rig.drained())
        try await w.stop()
        #expect(runner.runs(of: "bad-1") == 1)
        #expect(runner.runs(of: "raw-1") == 1)
        let record = try #require(try await rig.failure.record(for: "bad-1"))
        #expect(record.condition == .clientError)
        #expect(record.approximateInvokeCount == 1)
        #expect(record.statusCode == 400)
        let json = try QueueTestData.json(record.jsonText)
        #expect((json["requestContext"] as? [String: Any])?["condition"] as? String == "ClientError")
        #expect((json["responseContext"] as? [String: Any])?["functionError"] as? String == "Handled")
        let error = (json["responsePayload"] as? [String: Any])?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "invalid_data")
        // A body that is not JSON is kept verbatim, as a string, and the response carries the
        // job id the message was sent under.
        let raw = try QueueTestData.json(try #require(try await rig.failure.record(for: "raw-1")).jsonText)
        #expect(raw["requestPayload"] as? String == "not json \u{1}")
        #expect((raw["requestContext"] as? [String: Any])?["requestPayloadEncoding"] as? String == "text")
        #expect((raw["responsePayload"] as? [String: Any])?["id"] as? String == "raw-1")
        let empty = try #require(try await rig.failure.record(for: "empty-1"))
        #expect(empty.requestPayload == [])
        #expect(try QueueTestData.json(empty.jsonText)["requestPayload"] as? String == "")
        #expect(w.worker.statistics.retried == 0)
    }

    @Test(arguments: Backend.allCases)
    func retryableFailuresBackOffThenDeadLetterAndRedriveRunsAgain(_ backend: Backend) async throws {
        let rig = try Rig(backend)
        let healthy = ManagedFlag()
        let runner = ScriptedRunner { body, id, _, _ in
            healthy.value ? SciLearnService().run(body: body, assignedID: id) : .failure(.internal, "the disk is on fire", id: id, task: "linear_regression")
        }
        _ = try await rig.queue.send(QueueTestData.message("poison"))
        let started = ContinuousClock.now
        let w = try rig.worker(runner) {
            $0.maxReceiveCount = 3
            $0.backoff = RetryBackoff(base: .milliseconds(100))
        }
        #expect(try await QueueTestData.eventually { try await rig.queue.depth().deadLettered == 1 })
        let elapsed = ContinuousClock.now - started
        #expect(runner.runs(of: "poison") == 3)
        #expect(elapsed >= .milliseconds(300), "backoffs of 100 + 200 ms between the three attempts; took \(elapsed)")
        #expect(try await rig.queue.state(ofJob: "poison") == .deadLettered(receiveCount: 3))
        let record = try #require(try await rig.failure.record(for: "poison"))
        #expect(record.condition == .retriesExhausted)
        #expect(record.approximateInvokeCount == 3)
        #expect(record.statusCode == 500)
        #expect(record.requestPayload == QueueTestData.ols("poison"))
        #expect(record.responsePayload.contains("the disk is on fire"))
        if let memory = rig.queue as? InMemoryJobQueue {
            let dead = try #require(memory.deadLetters.first)
            #expect(dead.body == QueueTestData.ols("poison"))
            #expect(dead.receiveCount == 3)
            #expect(dead.reason == "internal: the disk is on fire")
        }
        // Redrive: the job runs again, now successfully.
        healthy.value = true
        #expect(try await rig.queue.redrive(limit: nil) == 1)
        #expect(try await QueueTestData.eventually { try await rig.success.outcomes(for: ["poison"])["poison"] != nil })
        try await w.stop()
        #expect(runner.runs(of: "poison") == 4)
        #expect(w.worker.statistics.deadLettered == 1)
        #expect(w.worker.statistics.retried == 2)
    }

    @Test(arguments: Backend.allCases)
    func aRedeliveryOfARecordedJobIsDeletedWithoutRunning(_ backend: Backend) async throws {
        // The state a crash after the record was written and before the delete leaves.
        let rig = try Rig(backend)
        let runner = ScriptedRunner()
        _ = try await rig.queue.send([QueueTestData.message("done-1"), QueueTestData.message("done-2")])
        let response = SciLearnService().run(body: QueueTestData.ols("done-1"))
        try await rig.success.put([DestinationRecord(
            jobID: "done-1", condition: .success, approximateInvokeCount: 1, timestamp: Date(), statusCode: 200,
            requestPayload: QueueTestData.ols("done-1"), responsePayload: response.json
        )])
        try await rig.failure.put([DestinationRecord(
            jobID: "done-2", condition: .clientError, approximateInvokeCount: 1, timestamp: Date(), statusCode: 400,
            requestPayload: QueueTestData.ols("done-2"), responsePayload: "{}"
        )])
        let w = try rig.worker(runner)
        #expect(try await rig.drained())
        try await w.stop()
        #expect(runner.totalRuns == 0)
        #expect(w.worker.statistics.duplicates == 2)
        #expect(try await rig.success.outcomes(for: ["done-1"])["done-1"]?.response == response.json, "nothing new written")
    }

    /// Time is the test's (a manual clock): each third of the 1 s timeout passes only once the
    /// heartbeat is parked again after renewing, so a loaded machine cannot make the test lie.
    @Test(.timeLimit(.minutes(2)), arguments: Backend.allCases)
    func theHeartbeatKeepsALongJobInvisible(_ backend: Backend) async throws {
        let clock = ManualQueueClock()
        let rig = try Rig(backend, clock: clock)
        let gate = Gate()
        let runner = ScriptedRunner(gate: gate)
        _ = try await rig.queue.send(QueueTestData.message("long"))
        let w = try rig.worker(runner) { $0.visibilityTimeout = .seconds(1) }
        #expect(try await QueueTestData.eventually { runner.totalRuns == 1 })
        // Four visibility timeouts pass while the job runs; nobody else can receive it.
        var stolen = 0
        for _ in 0..<12 {
            try #require(try await QueueTestData.eventually { clock.pendingSleeps == 1 }, "the heartbeat is waiting")
            let started = clock.sleepsStarted
            clock.advance(by: .milliseconds(334))
            try #require(try await QueueTestData.eventually { clock.sleepsStarted > started && clock.pendingSleeps == 1 }, "renewed and waiting again")
            stolen += try await rig.queue.receive(max: 1, visibilityTimeout: .seconds(30), wait: .zero).count
        }
        #expect(stolen == 0)
        gate.release()
        #expect(try await rig.drained())
        try await w.stop()
        #expect(runner.runs(of: "long") == 1)
        #expect(try await rig.success.outcomes(for: ["long"])["long"]?.attempts == 1)
    }

    @Test(arguments: Backend.allCases)
    func aMessageDeliveredPastMaxReceiveCountIsDeadLetteredWithoutRunning(_ backend: Backend) async throws {
        // Workers that died with it twice (max 2): the third delivery is not run.
        let rig = try Rig(backend)
        let runner = ScriptedRunner()
        _ = try await rig.queue.send(QueueTestData.message("crasher"))
        for _ in 0..<2 { _ = try await rig.queue.receive(max: 1, visibilityTimeout: .zero, wait: .zero) }
        let w = try rig.worker(runner) { $0.maxReceiveCount = 2 }
        #expect(try await QueueTestData.eventually { try await rig.queue.depth().deadLettered == 1 })
        try await w.stop()
        #expect(runner.totalRuns == 0)
        let record = try #require(try await rig.failure.record(for: "crasher"))
        #expect(record.condition == .retriesExhausted)
        #expect(record.approximateInvokeCount == 3)
        #expect(record.responsePayload.contains("without a result"))
    }

    @Test(arguments: Backend.allCases)
    func theWorkerPullsOnlyWhatItHasCapacityFor(_ backend: Backend) async throws {
        let rig = try Rig(backend)
        let runner = ScriptedRunner(delay: 0.15)
        let bound = 2 * QueueWorkerConfiguration.unsettledPerSlot
        let jobs = bound + 12   // more than the bound, so that the bound is what stops receiving
        _ = try await rig.queue.send((0..<jobs).map { QueueTestData.message("c\($0)") })
        let w = try rig.worker(runner) { $0.concurrency = 2 }
        var peakInFlight = 0
        while try await rig.queue.depth() != QueueDepth(visible: 0, inFlight: 0, deadLettered: 0) {
            peakInFlight = max(peakInFlight, try await rig.queue.depth().inFlight)
            try await Task.sleep(for: .milliseconds(10))
        }
        try await w.stop()
        #expect(runner.totalRuns == jobs)
        #expect(runner.peakConcurrency == 2)
        #expect(peakInFlight <= bound, "held \(peakInFlight) messages at once with 2 slots (the bound is \(bound))")
    }

    /// The drain deadline is the test's (a manual clock): the job never finishes by itself, the
    /// stop waits until the test moves the time past the deadline, then releases the message.
    @Test(.timeLimit(.minutes(2)), arguments: Backend.allCases)
    func stopFinishesShortJobsAndReleasesOnesPastTheDrainDeadline(_ backend: Backend) async throws {
        let clock = ManualQueueClock()
        let rig = try Rig(backend, clock: clock)
        let runner = ScriptedRunner(gate: Gate())
        _ = try await rig.queue.send(QueueTestData.message("slow"))
        let w = try rig.worker(runner) { $0.drainTimeout = .milliseconds(300) }
        #expect(try await QueueTestData.eventually { runner.totalRuns == 1 })
        let stopped = Task { try await w.stop() }
        // Until the time passes the deadline, the stop waits for the job.
        try await Task.sleep(for: .milliseconds(50))
        #expect(w.worker.statistics.released == 0, "released before the drain deadline")
        let finished = try await QueueTestData.eventually {
            clock.advance(by: .milliseconds(100))
            return try await QueueTestData.completed(stopped)
        }
        try #require(finished, "the drain deadline bounds the stop")
        #expect(runner.totalRuns == 1 && w.worker.statistics.succeeded == 0, "the gated job never finished by itself")
        #expect(try await rig.queue.state(ofJob: "slow") == .queued(receiveCount: 1), "released for another worker")
        #expect(w.worker.statistics.released == 1)
        // (The drain waits a bounded real time for the cancelled job to unwind; a starved lane
        // thread may finish unwinding after the stop has returned.)
        #expect(try await QueueTestData.eventually { runner.cancelledCount == 1 }, "the job past the deadline is cancelled, not left running")
        #expect(w.worker.statistics.retried == 0 && w.worker.statistics.failed == 0, "a drain is not the job's failure")

        // A job running at the stop and finishing before the deadline (the clock does not move)
        // is recorded.
        let quickGate = Gate()
        let quick = ScriptedRunner(gate: quickGate)
        _ = try await rig.queue.send(QueueTestData.message("quick"))
        let w2 = try rig.worker(quick) { $0.drainTimeout = .seconds(5) }
        #expect(try await QueueTestData.eventually { quick.runs(of: "quick") == 1 })
        let stopped2 = Task { try await w2.stop() }
        try await Task.sleep(for: .milliseconds(50))
        quickGate.release()
        try await stopped2.value
        #expect(try await rig.success.outcomes(for: ["quick"])["quick"] != nil, "a job running at the stop finishes and is recorded")
    }

    /// A real job (an OLS of seconds) still running at the drain deadline is cancelled: the stop
    /// waits for it until the deadline passes (the test's clock) and returns then, the job stops
    /// (answering `timeout` to nobody), the message is back on the queue, and nothing is
    /// recorded as failed.
    @Test(.timeLimit(.minutes(2)), arguments: Backend.allCases)
    func aRealJobPastTheDrainDeadlineIsCancelled(_ backend: Backend) async throws {
        let clock = ManualQueueClock()
        let rig = try Rig(backend, clock: clock)
        let runner = ScriptedRunner()
        // 6,000 × 1,500: 9e6 cells (18 MB), about 2.7e10 flops of QR on one core: seconds.
        let body = try await OwnThread.run { LongRequest.ols(rows: 6_000, columns: 1_500) }
        _ = try await rig.queue.send(QueueTestData.message("long", body: body))
        let w = try rig.worker(runner) { $0.drainTimeout = .milliseconds(200) }
        #expect(try await QueueTestData.eventually { runner.totalRuns == 1 })
        let stopped = Task { try await w.stop() }
        // The time stands still: the stop waits for the job.
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await !QueueTestData.completed(stopped), "the stop returned before the drain deadline")
        // Past the deadline, the stop returns (the job cancelled, its message released).
        let finished = try await QueueTestData.eventually {
            clock.advance(by: .milliseconds(100))
            return try await QueueTestData.completed(stopped)
        }
        #expect(finished, "the drain deadline bounds the stop")
        // The job stops at its next check point (a debug build may still be decoding the 18 MB
        // body at the deadline; decoding has no check points) instead of running to its end.
        #expect(try await QueueTestData.eventually(within: 60) { runner.cancelledCount == 1 })
        #expect(try await rig.queue.state(ofJob: "long") == .queued(receiveCount: 1))
        #expect(try await rig.failure.outcomes(for: ["long"]).isEmpty)
    }
}

/// A flag the test flips while a worker reads it.
final class ManagedFlag: Sendable {
    private let flag = Mutex(false)
    var value: Bool {
        get { flag.withLock { $0 } }
        set { flag.withLock { $0 = newValue } }
    }
}
