import Foundation
import SciLearnQueue
@testable import SciLearnQueueSQLite
import SciLearnService
import Synchronization
import Testing

/// The backends every queue semantic is checked on.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory, sqlite

    var testDescription: String { rawValue }

    /// A fresh, empty queue whose visibility timeouts run on `clock`.
    func makeQueue(clock: any QueueClock = SystemQueueClock()) throws -> any JobQueue {
        switch self {
        case .memory: InMemoryJobQueue(clock: clock)
        case .sqlite: SQLiteJobQueue(store: try SQLiteStore.at(TemporaryDirectory.make().appendingPathComponent("q.db").path), clock: clock)
        }
    }
}

enum TemporaryDirectory {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

enum QueueTestData {
    static func ols(_ id: String) -> [UInt8] {
        Array(#"{"id":"\#(id)","task":"linear_regression","data":{"X":[[1],[2],[3],[4]],"y":[1,2,3,5]}}"#.utf8)
    }

    static func message(_ id: String, body: [UInt8]? = nil) -> OutgoingMessage {
        OutgoingMessage(body: body ?? ols(id), jobID: id)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Polls `condition` every `interval` (5 ms by default; more for a condition that costs
    /// server requests) for up to `seconds`. The default bound is generous (60 s) because it is
    /// only reached when the machine is starved: with every suite starting at once on 2 cores,
    /// the first workers' loops waited well over 10 s for a thread; a healthy run returns in
    /// milliseconds.
    static func eventually(within seconds: Double = 60, every interval: Duration = .milliseconds(5),
                           _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: interval)
        }
        return try await condition()
    }

    /// Polls `condition` until it holds; gives up only when its progress (the state it reports)
    /// has not changed for `stalledAfter` seconds, or after `cap` seconds in all (a hang guard).
    /// For work whose rate the machine's load sets (a Python server's throughput), where any
    /// fixed window is either loose or flaky.
    static func whileProgressing(stalledAfter seconds: Double, cap: Double = 1_200, every interval: Duration,
                                 _ condition: () async throws -> (done: Bool, state: String)) async throws -> Bool {
        let start = Date()
        var last = "", lastChange = Date()
        while Date().timeIntervalSince(start) < cap {
            let (done, state) = try await condition()
            if done { return true }
            if state != last {
                last = state
                lastChange = Date()
            } else if Date().timeIntervalSince(lastChange) > seconds {
                return false
            }
            try await Task.sleep(for: interval)
        }
        return try await condition().done
    }

    /// Whether `task` has finished (rethrowing its error), without waiting for it.
    static func completed(_ task: Task<Void, any Error>) async throws -> Bool {
        let done = Atomic<Bool>(false)
        let probe = Task { _ = try? await task.value; done.store(true, ordering: .releasing) }
        try await Task.sleep(for: .milliseconds(20))
        if done.load(ordering: .acquiring) {
            try await task.value
            return true
        }
        probe.cancel()
        return false
    }
}

/// A runner the tests script: counts runs by job id, runs at most `concurrency` jobs at once
/// (recording the peak), and answers with `answer` (the real service by default).
final class ScriptedRunner: Sendable {
    private let runs = Mutex<[String: Int]>([:])
    private let running = Mutex((now: 0, peak: 0))
    let answer: @Sendable ([UInt8], String, Int, CancellationToken) -> JobResponse
    let delay: Double
    /// When set, each job runs until the gate opens (instead of for `delay`).
    let gate: Gate?
    private let cancelled = Mutex(0)

    init(delay: Double = 0, gate: Gate? = nil, answer: (@Sendable ([UInt8], String, Int, CancellationToken) -> JobResponse)? = nil) {
        self.delay = delay
        self.gate = gate
        self.answer = answer ?? { body, id, _, token in SciLearnService().run(body: body, assignedID: id, cancellation: token) }
    }

    /// Jobs stopped by their cancelled token.
    var cancelledCount: Int { cancelled.withLock { $0 } }

    var runner: QueueWorker.Runner {
        { [self] body, id, token in
            let n = runs.withLock { r in
                r[id, default: 0] += 1
                return r[id]!
            }
            running.withLock { r in
                r.now += 1
                r.peak = max(r.peak, r.now)
            }
            defer { running.withLock { $0.now -= 1 } }
            // A job that checks its token as the engine does (every 10 ms).
            let end = Date().addingTimeInterval(delay)
            while gate.map({ !$0.isOpen }) ?? (Date() < end) {
                if token.isCancelled {
                    cancelled.withLock { $0 += 1 }
                    return .failure(.timeout, "cancelled", id: id)
                }
                Thread.sleep(forTimeInterval: gate == nil ? min(0.01, max(0, end.timeIntervalSinceNow)) : 0.005)
            }
            let response = answer(body, id, n, token)
            // Stopped by its token (the service answers `timeout` for a cancelled job).
            if token.isCancelled && response.errorCode == .timeout { cancelled.withLock { $0 += 1 } }
            return response
        }
    }

    func runs(of id: String) -> Int { runs.withLock { $0[id] ?? 0 } }
    var totalRuns: Int { runs.withLock { $0.values.reduce(0, +) } }
    var peakConcurrency: Int { running.withLock { $0.peak } }
}

/// A worker running in a task, stopped (and awaited) by `stop()`.
struct RunningWorker {
    let worker: QueueWorker
    let task: Task<Void, any Error>

    init(_ worker: QueueWorker) {
        self.worker = worker
        task = Task { try await worker.run() }
    }

    func stop() async throws {
        worker.stop()
        try await task.value
    }
}
