import Foundation
import Logging
import SciLearnBackends
import SciLearnQueue
@testable import SciLearnQueueSQS
import SciLearnService
import SciLearnTestSupport
import Testing

/// The SQS backend against a real SQS-compatible server (moto_server, started on loopback by
/// each test): the queue protocol, dead-lettering by the queue's redrive policy and redrive,
/// the worker's retries observed through the server, and a producer that is not ours (boto3)
/// feeding the worker 1,000 jobs plus bad ones, each recorded exactly once.
@Suite(.serialized, .ownThread(.waiting)) struct SQSBackendTests {
    /// The visibility the checks hold a message for: an hour, so the server's real clock cannot
    /// run it out between a receive and the checks after it on a loaded machine.
    static let held: Duration = .seconds(3600)
    static func name(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    static func open(_ m: MotoServer, _ url: String, success: String? = nil, failure: String? = nil) throws -> JobBackend {
        try JobBackend.open(queue: url, successDestination: success, failureDestination: failure, endpoint: m.endpoint, environment: m.environment)
    }

    @Test func sendReceiveVisibilityAndDelete() async throws {
        try await MotoServer.with { m in
            let (url, _) = try await m.createQueue(Self.name("basic"))
            let q = try Self.open(m, url).queue
            let sent = try await q.send(["a", "b", "c"].map { QueueTestData.message($0) })
            #expect(sent.map(\.jobID) == ["a", "b", "c"] && sent.allSatisfy { !$0.messageID.isEmpty && !$0.duplicate })
            let got = try await q.receive(max: 10, visibilityTimeout: Self.held, wait: .seconds(1))
            #expect(Set(got.compactMap(\.jobID)) == ["a", "b", "c"])
            #expect(got.allSatisfy { $0.receiveCount == 1 && $0.body == QueueTestData.ols($0.jobID ?? "") })
            #expect(try await q.receive(max: 10, visibilityTimeout: Self.held, wait: .zero).isEmpty, "invisible while received")
            #expect(try await q.depth() == QueueDepth(visible: 0, inFlight: 3, deadLettered: 0))
            // Visibility 0 releases a message at once; it comes back with a higher receive count.
            let first = try #require(got.first)
            try await q.changeVisibility([first.receiptHandle], timeout: .zero)
            let again = try await q.receive(max: 10, visibilityTimeout: Self.held, wait: .seconds(1))
            #expect(again.count == 1 && again.first?.jobID == first.jobID && again.first?.receiveCount == 2)
            try await q.delete(got.dropFirst().map(\.receiptHandle) + again.map(\.receiptHandle))
            #expect(try await q.depth() == QueueDepth(visible: 0, inFlight: 0, deadLettered: 0))
            #expect(try await q.state(ofJob: "a") == nil, "SQS cannot look a message up by id")
        }
    }

    @Test func theRedrivePolicyDeadLettersAndRedriveMovesBack() async throws {
        try await MotoServer.with { m in
            let (url, dlq) = try await m.createQueue(Self.name("redrive"), maxReceiveCount: 2)
            let q = try Self.open(m, url).queue as! SQSJobQueue
            #expect(try await q.deadLetterQueueURL() == dlq)
            _ = try await q.send(QueueTestData.message("p"))
            for delivery in 1...2 {
                let got = try await q.receive(max: 1, visibilityTimeout: Self.held, wait: .seconds(1))
                #expect(got.first?.receiveCount == delivery)
                try await q.changeVisibility(got.map(\.receiptHandle), timeout: .zero)
            }
            // The third receive finds it past maxReceiveCount: the server moves it to the DLQ.
            #expect(try await q.receive(max: 1, visibilityTimeout: Self.held, wait: .zero).isEmpty)
            #expect(try await q.depth() == QueueDepth(visible: 0, inFlight: 0, deadLettered: 1))
            #expect(try await q.redrive(limit: nil) == 1)
            #expect(try await q.depth() == QueueDepth(visible: 1, inFlight: 0, deadLettered: 0))
            let back = try await q.receive(max: 1, visibilityTimeout: Self.held, wait: .seconds(1))
            #expect(back.first?.jobID == "p" && back.first?.body == QueueTestData.ols("p"))
        }
    }

    @Test func aMessageOverOneMebibyteIsRefusedBeforeSending() async throws {
        try await MotoServer.with { m in
            let (url, _) = try await m.createQueue(Self.name("big"))
            let backend = try Self.open(m, url)
            let x = String(repeating: "1.5,", count: 300_000)
            let body = Array(#"{"id":"big","task":"linear_regression","data":{"X":[[\#(x)1]],"y":[1]}}"#.utf8)
            do {
                _ = try await backend.submit(body)
                Issue.record("a 1.2 MB message was sent")
            } catch let e as QueueError {
                #expect(e.message.contains("1 MiB") && e.message.contains("\(body.count + 6 + 6 + 3)"), "\(e.message)")
            }
            #expect(try await backend.queue.depth() == QueueDepth(visible: 0, inFlight: 0, deadLettered: 0))
        }
    }

    @Test func retriesThenDeadLetterAreSeenThroughTheServer() async throws {
        try await MotoServer.with { m in
            let (url, dlq) = try await m.createQueue(Self.name("retry"), maxReceiveCount: 5)
            let (success, _) = try await m.createQueue(Self.name("ok"))
            let (failure, _) = try await m.createQueue(Self.name("failed"))
            let backend = try Self.open(m, url, success: success, failure: failure)
            let runner = ScriptedRunner { body, id, n, token in
                id == "poison" ? .failure(.internal, "always fails (attempt \(n))", id: id)
                    : SciLearnService().run(body: body, assignedID: id, cancellation: token)
            }
            var c = QueueWorkerConfiguration(concurrency: 2, maxReceiveCount: 3, wait: .seconds(1), drainTimeout: .seconds(5))
            c.backoff = RetryBackoff(base: .milliseconds(10))
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let worker = RunningWorker(try QueueWorker(queue: backend.queue, success: backend.success, failure: backend.failure,
                                                       configuration: c, logger: logger, runner: runner.runner))
            _ = try await backend.queue.send([QueueTestData.message("poison"), QueueTestData.message("fine")])
            let dead = try await QueueTestData.eventually(within: 120, every: .milliseconds(200)) { try await backend.queue.depth().deadLettered == 1 }
            try await worker.stop()
            #expect(dead, "the poison job reached the dead-letter queue")
            #expect(runner.runs(of: "poison") == 3 && runner.runs(of: "fine") == 1)
            let failures = try await m.drain(failure), successes = try await m.drain(success)
            #expect(failures.count == 1 && successes.count == 1)
            let record = try QueueTestData.json(String(decoding: try #require(failures.first).body, as: UTF8.self))
            let context = record["requestContext"] as? [String: Any]
            #expect(context?["condition"] as? String == "RetriesExhausted" && context?["approximateInvokeCount"] as? Int == 3)
            #expect(failures.first?.jobID == "poison")
            let parked = try await m.drain(try #require(dlq))
            #expect(parked.count == 1 && parked.first?.jobID == "poison" && parked.first?.body == QueueTestData.ols("poison"))
        }
    }

    /// boto3 sends 1,000 jobs and 10 bad messages without our job-id attribute; one worker runs
    /// them all: 1,000 success records and 10 client-error records, each job exactly once.
    @Test func aForeignProducersJobsRunExactlyOnce() async throws {
        try await MotoServer.with { m in
            let (url, _) = try await m.createQueue(Self.name("jobs"), maxReceiveCount: 3)
            let (success, _) = try await m.createQueue(Self.name("ok"))
            let (failure, _) = try await m.createQueue(Self.name("failed"))
            let script = """
            import boto3, json, sys
            c = boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x")
            bodies = [json.dumps({"id": "job-%d" % i, "task": "linear_regression", "data": {"X": [[1], [2], [3], [i % 7 + 4]], "y": [1, 2, 3, i % 5]}}) for i in range(1000)]
            bodies += ['{"id": "bad-%d", "task": "no_such_task"}' % i for i in range(5)] + ['not json %d' % i for i in range(5)]
            for k in range(0, len(bodies), 10):
                r = c.send_message_batch(QueueUrl=sys.argv[2], Entries=[{"Id": str(j), "MessageBody": b} for j, b in enumerate(bodies[k:k + 10])])
                assert not r.get("Failed"), r
            """
            // On a thread of its own: waiting for a process must not hold a cooperative thread.
            let endpoint = m.endpoint
            let status = try await OwnThread.run { () throws -> Int32 in
                let producer = Process()
                producer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                producer.arguments = ["python3", "-c", script, endpoint, url]
                try producer.run()
                producer.waitUntilExit()
                return producer.terminationStatus
            }
            #expect(status == 0, "boto3 producer")
            let backend = try Self.open(m, url, success: success, failure: failure)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let worker = RunningWorker(try QueueWorker(queue: backend.queue, success: backend.success, failure: backend.failure,
                                                       configuration: QueueWorkerConfiguration(concurrency: 2, wait: .seconds(1), drainTimeout: .seconds(5)),
                                                       logger: logger))
            let outcomes = SQSJobQueue(client: m.client, queueURL: success)
            // Bounded by progress, not by a wall-clock window: moto_server is a Python process
            // whose throughput a loaded machine divides (a loaded CI run took 168 s of a former
            // 180 s bound, an overloaded one more). It fails when nothing moves for two minutes.
            let done = try await QueueTestData.whileProgressing(stalledAfter: 120, every: .milliseconds(500)) {
                let recorded = try await outcomes.depth().visible
                let left = try await backend.queue.depth()
                return (recorded >= 1000 && left == QueueDepth(visible: 0, inFlight: 0, deadLettered: 0), "\(recorded) \(left)")
            }
            try await worker.stop()
            #expect(done, "every job settled")
            let successes = try await m.drain(success), failures = try await m.drain(failure)
            let ids = successes.map { try? QueueTestData.json(String(decoding: $0.body, as: UTF8.self)) }
                .compactMap { ($0?["requestContext"] as? [String: Any])?["requestId"] as? String }
            #expect(successes.count == 1000 && Set(ids).count == 1000 && Set(ids) == Set((0..<1000).map { "job-\($0)" }))
            #expect(failures.count == 10)
            let conditions = failures.compactMap { try? QueueTestData.json(String(decoding: $0.body, as: UTF8.self)) }
                .compactMap { ($0["requestContext"] as? [String: Any])?["condition"] as? String }
            #expect(conditions == [String](repeating: "ClientError", count: 10))
        }
    }
}

/// `scilearn submit`, `worker` and `redrive` as processes on an SQS queue of moto_server, the
/// credentials in their environment, `--endpoint` pointing at the server.
@Suite(.serialized, .ownThread(.waiting)) struct SQSCommandTests {
    static let root = WorkerProcess.binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func process(_ arguments: [String], environment: [String: String]) throws -> Process {
        try #require(FileManager.default.isExecutableFile(atPath: WorkerProcess.binary.path), "build the scilearn binary first (swift build)")
        let p = Process()
        p.executableURL = WorkerProcess.binary
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        return p
    }

    /// `scilearn serve --port 0` with `arguments`, started, and the port it bound
    /// (``ListeningPort``, within 60 s).
    static func serve(_ arguments: [String], environment: [String: String]) throws -> (process: Process, port: Int) {
        let p = try process(["serve", "--port", "0", "--log-level", "info"] + arguments, environment: environment)
        let errors = Pipe()
        p.standardError = errors
        try p.run()
        let (port, log) = ListeningPort.read(from: errors, within: 60)
        if let port { return (p, port) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        throw SQSCommandFailure(description: "scilearn serve did not report its port; log: \(log.suffix(2000))")
    }

    struct SQSCommandFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ arguments: [String], environment: [String: String]) async throws -> Int32 {
        try await output(arguments, environment: environment).status
    }

    /// Runs the binary to its end on a thread of its own (never blocking a cooperative thread).
    static func output(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: String) {
        let p = try process(arguments, environment: environment)
        return try await OwnThread.run { () throws -> (status: Int32, stdout: String) in
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, text)
        }
    }

    @Test func submitWorkerAndRedriveOnSQS() async throws {
        try await MotoServer.with { m in
            let (jobs, dlq) = try await m.createQueue(SQSBackendTests.name("cli"), maxReceiveCount: 3)
            let (ok, _) = try await m.createQueue(SQSBackendTests.name("ok"))
            let (failed, _) = try await m.createQueue(SQSBackendTests.name("failed"))
            let example = Self.root.appendingPathComponent("Docs/examples/ridge.json").path
            #expect(try await Self.run(["submit", "--queue", jobs, "--endpoint", m.endpoint, example], environment: m.environment) == 0)
            let worker = try Self.process(["worker", "--queue", jobs, "--endpoint", m.endpoint, "--success-destination", ok,
                                           "--failure-destination", failed, "--concurrency", "2", "--log-level", "error"], environment: m.environment)
            try worker.run()
            let records = SQSJobQueue(client: m.client, queueURL: ok)
            let done = try await QueueTestData.eventually(within: 120, every: .milliseconds(200)) { try await records.depth().visible == 1 }
            kill(worker.processIdentifier, SIGTERM)
            try await OwnThread.run { worker.waitUntilExit() }
            #expect(done && worker.terminationStatus == 0)
            let record = try QueueTestData.json(String(decoding: try #require(try await m.drain(ok).first).body, as: UTF8.self))
            #expect((record["requestContext"] as? [String: Any])?["requestId"] as? String == "weekly-revenue-ridge-001")
            // A dead letter goes back to the queue with `scilearn redrive`. First let the stopped
            // worker's last long poll (1 s) expire on the server: a message arriving during it is
            // handed to that closed request and stays invisible for its visibility timeout.
            try await Task.sleep(for: .milliseconds(1500))
            _ = try await SQSJobQueue(client: m.client, queueURL: try #require(dlq)).send(QueueTestData.message("parked"))
            let redrive = try await Self.output(["redrive", "--queue", jobs, "--endpoint", m.endpoint], environment: m.environment)
            #expect(redrive.status == 0 && redrive.stdout.contains("moved 1 dead letter"), "\(redrive.stdout)")
            // (Should moto still have handed it to that closed poll on a loaded machine, it is
            // visible again after the worker's 30 s visibility timeout: received within 90 s.)
            var back: [String?] = []
            _ = try await QueueTestData.eventually(within: 90, every: .milliseconds(10)) {
                back += try await SQSJobQueue(client: m.client, queueURL: jobs).receive(max: 10, visibilityTimeout: SQSBackendTests.held, wait: .seconds(2)).map(\.jobID)
                return !back.isEmpty
            }
            #expect(back == ["parked"])
            // Without credentials, a usage error naming the variable (exit 2).
            let bare = try Self.process(["submit", "--queue", jobs, "--endpoint", m.endpoint, example], environment: [:])
            bare.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
            let (status, message) = try await OwnThread.run { () throws -> (Int32, String) in
                let err = Pipe()
                bare.standardError = err
                try bare.run()
                let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                bare.waitUntilExit()
                return (bare.terminationStatus, text)
            }
            #expect(status == 2 && message.contains("AWS_ACCESS_KEY_ID"), "\(message)")
            // --endpoint is for SQS queues only.
            #expect(try await Self.run(["submit", "--queue", "sqlite:/tmp/never-\(UUID().uuidString).db", "--endpoint", m.endpoint, example], environment: [:]) == 2)
        }
    }
}
