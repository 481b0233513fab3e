import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A local AWS Lambda Runtime API for the tests, speaking the real endpoints and headers:
/// `GET /2018-06-01/runtime/invocation/next` hands out queued events (waiting when there are
/// none) with `Lambda-Runtime-Aws-Request-Id`, `Lambda-Runtime-Deadline-Ms`,
/// `Lambda-Runtime-Invoked-Function-Arn` and `Lambda-Runtime-Trace-Id`; `.../{id}/response`,
/// `.../{id}/error` and `/init/error` are recorded with their bodies and error-type header.
actor FakeRuntimeAPI {
    struct Outcome: Sendable {
        var kind: String        // "response" or "error"
        var body: String
        var errorType: String?
    }

    private var events: [(id: String, body: [UInt8], deadline: Date)] = []
    private var waiting: [CheckedContinuation<(id: String, body: [UInt8], deadline: Date), Never>] = []
    private(set) var outcomes: [String: Outcome] = [:]
    private var outcomeWaiters: [(String, CheckedContinuation<Outcome, Never>)] = []
    private(set) var initErrors: [Outcome] = []

    /// Queues an event; returns its request id. The default deadline is an hour away: one
    /// a minute away ran out on a loaded machine before the handler had run.
    @discardableResult
    func enqueue(_ body: String, deadline: Date = Date().addingTimeInterval(3600)) -> String {
        let id = UUID().uuidString.lowercased()
        let event = (id, Array(body.utf8), deadline)
        if waiting.isEmpty { events.append(event) } else { waiting.removeFirst().resume(returning: event) }
        return id
    }

    func next() async -> (id: String, body: [UInt8], deadline: Date) {
        if !events.isEmpty { return events.removeFirst() }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func record(_ id: String, _ outcome: Outcome) {
        outcomes[id] = outcome
        for (i, w) in outcomeWaiters.enumerated().reversed() where w.0 == id {
            outcomeWaiters.remove(at: i)
            w.1.resume(returning: outcome)
        }
    }

    func recordInitError(_ outcome: Outcome) { initErrors.append(outcome) }

    /// The outcome of invocation `id`, once posted.
    func outcome(_ id: String) async -> Outcome {
        if let o = outcomes[id] { return o }
        return await withCheckedContinuation { outcomeWaiters.append((id, $0)) }
    }

    /// Serves the API on a free loopback port while `body` runs.
    func serve<T: Sendable>(on group: MultiThreadedEventLoopGroup, _ body: @Sendable (_ api: String) async throws -> T) async throws -> T {
        let router = Router()
        let api = self
        router.get("/2018-06-01/runtime/invocation/next") { _, _ -> Response in
            let event = await api.next()
            var headers = HTTPFields()
            headers[HTTPField.Name("Lambda-Runtime-Aws-Request-Id")!] = event.id
            headers[HTTPField.Name("Lambda-Runtime-Deadline-Ms")!] = String(Int64(event.deadline.timeIntervalSince1970 * 1000))
            headers[HTTPField.Name("Lambda-Runtime-Invoked-Function-Arn")!] = "arn:aws:lambda:us-east-1:123456789012:function:scilearn"
            headers[HTTPField.Name("Lambda-Runtime-Trace-Id")!] = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: event.body)))
        }
        for kind in ["response", "error"] {
            router.post("/2018-06-01/runtime/invocation/:id/\(kind)") { request, context -> HTTPResponse.Status in
                let id = context.parameters.get("id") ?? ""
                let body = try await request.body.collect(upTo: 64 << 20)
                let type = request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!]
                await api.record(id, Outcome(kind: kind, body: String(buffer: body), errorType: type))
                return .accepted
            }
        }
        router.post("/2018-06-01/runtime/init/error") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let type = request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!]
            await api.recordInitError(Outcome(kind: "init", body: String(buffer: body), errorType: type))
            return .accepted
        }
        var logger = Logger(label: "fake-runtime-api")
        logger.logLevel = .critical
        let port = Mutex<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
                              eventLoopGroupProvider: .shared(group), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            var bound: Int? = nil
            let deadline = ContinuousClock.now + .seconds(120)
            while bound == nil && ContinuousClock.now < deadline {
                bound = port.withLock { $0 }
                if bound == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            guard let p = bound else { throw CancellationError() }
            let result = try await body("127.0.0.1:\(p)")
            await group.triggerGracefulShutdown()
            for try await _ in tasks {}
            return result
        }
    }
}
