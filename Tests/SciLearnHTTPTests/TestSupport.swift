import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SciLearnService
import Synchronization
import Testing
@testable import SciLearnHTTP

/// A job runner that tests control: it counts the jobs it starts and, when gated, blocks each
/// one on its pool thread until the test opens the gate.
final class ControlledRunner: Sendable {
    private let started = Mutex(0)
    private let gate: DispatchSemaphore?
    private let delay: Duration?
    private let response: (@Sendable (ByteBuffer) -> JobResponse)?

    init(gated: Bool = false, delay: Duration? = nil, response: (@Sendable (ByteBuffer) -> JobResponse)? = nil) {
        self.gate = gated ? DispatchSemaphore(value: 0) : nil
        self.delay = delay
        self.response = response
    }

    var startedCount: Int { started.withLock { $0 } }

    func open(_ n: Int = 1) { for _ in 0..<n { gate?.signal() } }

    var run: JobExecutor.Runner {
        { [self] body, token in
            started.withLock { $0 += 1 }
            gate?.wait()
            if let delay { Thread.sleep(forTimeInterval: delay.seconds) }
            return response?(body) ?? SciLearnService().run(body: body.readableBytesView, cancellation: token)
        }
    }

    /// Waits (polling, bounded) until `n` jobs have started.
    func waitForStarted(_ n: Int, within seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while startedCount < n {
            guard Date() < deadline else { throw RawHTTPConnection.Failure(description: "only \(startedCount) of \(n) jobs started") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

enum HTTPTestData {
    static let good = #"{"id":"t-1","task":"linear_regression","data":{"X":[[1,2],[2,1],[3,5],[4,3],[5,7]],"y":[1,2,3.5,4,5.5]}}"#

    static var quietLogger: Logger {
        var l = Logger(label: "scilearn-test")
        l.logLevel = .critical
        return l
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        return try #require(object as? [String: Any])
    }

    static func errorCode(_ buffer: ByteBuffer) throws -> String? {
        try (json(buffer)["error"] as? [String: Any])?["code"] as? String
    }

    static func configuration(
        concurrency: Int = 2, maxBody: Int = 1 << 20, timeout: Duration = .seconds(30), apiKey: String? = nil
    ) -> HTTPServerConfiguration {
        HTTPServerConfiguration(host: "127.0.0.1", port: 0, concurrency: concurrency, maxBodyBytes: maxBody, timeout: timeout, apiKey: apiKey)
    }
}

/// Runs blocking socket code on its own thread, not on the cooperative pool (2 threads here).
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

/// A value set once from another task, awaited with a bound.
final class Box<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    func set(_ v: Value) { value.withLock { $0 = v } }
    /// A hang guard (120 s): a server's start can wait behind other suites' work on a loaded CI
    /// machine.
    func wait(within seconds: Double = 120) async throws -> Value {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let v = value.withLock({ $0 }) { return v }
            guard Date() < deadline else { throw RawHTTPConnection.Failure(description: "timed out waiting") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
