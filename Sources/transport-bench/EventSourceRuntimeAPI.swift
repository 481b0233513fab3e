import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SciLearnJSON
import ServiceLifecycle
import Synchronization

/// A local AWS Lambda Runtime API acting as an SQS event source mapping: jobs wait in its queue,
/// each `GET /2018-06-01/runtime/invocation/next` takes up to `batchSize` of them as one SQS
/// event (`Records` with `messageId`, `body`, `attributes.ApproximateReceiveCount` and the
/// `job_id` message attribute, as the mapping delivers them), and the invocation's `response`
/// (its `batchItemFailures`) or `error` ends each job. The SQS hop before the function is not
/// simulated: a waiting function gets a job as soon as it is queued.
actor EventSourceRuntimeAPI {
    private var pending: [(id: String, body: [UInt8])] = []
    private var idle: [CheckedContinuation<(String, [UInt8])?, Never>] = []
    private var closed = false
    private var invocations: [String: [String]] = [:]
    let completions = Completions()
    let batchSize: Int
    /// Jobs queued and not yet ended.
    private(set) var outstanding = 0

    init(batchSize: Int) { self.batchSize = batchSize }

    /// Queues job `id`.
    func enqueue(id: String, body: [UInt8]) {
        outstanding += 1
        pending.append((id, body))
        if !idle.isEmpty { let w = idle.removeFirst(); w.resume(returning: takeBatch()) }
    }

    private func takeBatch() -> (String, [UInt8]) {
        let batch = Array(pending.prefix(batchSize))
        pending.removeFirst(batch.count)
        let request = UUID().uuidString.lowercased()
        invocations[request] = batch.map(\.id)
        let records: [JSONValue] = batch.map { job in
            .object(["messageId": .string(job.id), "receiptHandle": .string("rh-\(job.id)"), "body": .string(String(decoding: job.body, as: UTF8.self)),
                     "attributes": .object(["ApproximateReceiveCount": .string("1")]),
                     "messageAttributes": .object(["job_id": .object(["stringValue": .string(job.id), "dataType": .string("String")])]),
                     "eventSource": .string("aws:sqs"), "eventSourceARN": .string("arn:aws:sqs:us-east-1:123456789012:bench-jobs"),
                     "awsRegion": .string("us-east-1")])
        }
        return (request, Array(JSONValue.object(["Records": .array(records)]).jsonText.utf8))
    }

    /// The next batch; nil once the server is closing (a function still polling is let go).
    func next() async -> (String, [UInt8])? {
        if !pending.isEmpty { return takeBatch() }
        if closed { return nil }
        return await withCheckedContinuation { idle.append($0) }
    }

    /// Lets every waiting poll go, so that the server can shut down.
    func close() {
        closed = true
        for w in idle { w.resume(returning: nil) }
        idle.removeAll()
    }

    /// Invocation `request` answered: its jobs end, those in `batchItemFailures` as failures
    /// (and every one of them when `failed`).
    func finish(_ request: String, body: [UInt8], failed: Bool) async {
        guard let jobs = invocations.removeValue(forKey: request) else { return }
        var failures = Set<String>()
        if case .object(let o)? = JSONValue.parse(body), case .array(let items)? = o["batchItemFailures"] {
            for case .object(let item) in items { if case .string(let id)? = item["itemIdentifier"] { failures.insert(id) } }
        }
        for id in jobs {
            outstanding -= 1
            await completions.resolve(id, ok: !failed && !failures.contains(id))
        }
    }

    /// Serves the API on a free loopback port while `body` runs; `body` gets "127.0.0.1:PORT".
    func serve<T: Sendable>(_ body: @Sendable (_ api: String) async throws -> T) async throws -> T {
        let router = Router()
        let api = self
        router.get("/2018-06-01/runtime/invocation/next") { _, _ -> Response in
            guard let (id, event) = await api.next() else { return Response(status: .serviceUnavailable) }
            var headers = HTTPFields()
            headers[HTTPField.Name("Lambda-Runtime-Aws-Request-Id")!] = id
            headers[HTTPField.Name("Lambda-Runtime-Deadline-Ms")!] = String(Int64((Date().timeIntervalSince1970 + 900) * 1000))
            headers[HTTPField.Name("Lambda-Runtime-Invoked-Function-Arn")!] = "arn:aws:lambda:us-east-1:123456789012:function:scilearn"
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: event)))
        }
        for kind in ["response", "error"] {
            router.post("/2018-06-01/runtime/invocation/:id/\(kind)") { request, context -> HTTPResponse.Status in
                let id = context.parameters.get("id") ?? ""
                let bytes = try await request.body.collect(upTo: 256 << 20)
                await api.finish(id, body: Array(buffer: bytes), failed: kind == "error")
                return .accepted
            }
        }
        router.post("/2018-06-01/runtime/init/error") { request, _ -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            FileHandle.standardError.write(Data("transport-bench: a function instance failed to start: \(String(buffer: bytes))\n".utf8))
            return .accepted
        }
        var logger = Logger(label: "event-source-runtime-api")
        logger.logLevel = .critical
        let port = Mutex<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            var bound: Int? = nil
            for _ in 0..<500 where bound == nil {
                bound = port.withLock { $0 }
                if bound == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            guard let p = bound else {
                close()
                await group.triggerGracefulShutdown()
                throw BenchError("the Runtime API server did not start")
            }
            let result: Result<T, Error>
            do { result = .success(try await body("127.0.0.1:\(p)")) } catch { result = .failure(error) }
            close()
            await group.triggerGracefulShutdown()
            for try await _ in tasks {}
            return try result.get()
        }
    }
}
