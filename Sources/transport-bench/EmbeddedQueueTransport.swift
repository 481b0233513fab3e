import Foundation
import NIOHTTP1
import SciLearnJSON

/// (c) `POST /v1/jobs` on a `scilearn serve` with the embedded SQLite queue and its worker, then
/// `GET /v1/jobs/{id}` until the job has succeeded or failed. One poller asks for the oldest 16
/// unanswered jobs at a time (the queue runs oldest first, so they end first): again at once
/// when one of them had ended, else after a pause that starts at 1 ms and grows by half each
/// time to 20 ms. The latency's resolution is that pause (a millisecond while jobs flow); the
/// polls add at most 16 requests a round to the server's load, however long the backlog.
final class EmbeddedQueueTransport: Transport, @unchecked Sendable {
    let server: ChildProcess
    let base: String
    let completions = Completions()
    let waiting = Shared<[String]>([])
    var poller: Task<Void, Never>? = nil
    var name: String { "queue" }

    init(scilearn: String, serveArguments: [String], workerConcurrency: Int, runDirectory: String) async throws {
        let port = ChildProcess.freePort()
        let db = "\(runDirectory)/queue-\(UUID().uuidString).db"
        server = try ChildProcess(scilearn, ["serve", "--port", "\(port)", "--queue", "sqlite:\(db)", "--worker-concurrency", "\(workerConcurrency)",
                                             "--log-level", "error"] + serveArguments,
                                  log: "\(runDirectory)/queue-serve.log", name: "serve")
        base = "http://127.0.0.1:\(port)"
        try await HTTPCalls.waitHealthy("\(base)/healthz")
        poller = Task { [base, waiting, completions] in await Self.poll(base: base, waiting: waiting, completions: completions) }
    }

    /// The status of job `id`: true (succeeded), false (failed) or nil (not yet).
    static func state(base: String, id: String) async -> Bool? {
        guard let (status, answer) = try? await HTTPCalls.call(.GET, "\(base)/v1/jobs/\(id)"), status == 200,
              case .object(let doc)? = JSONValue.parse(answer), case .string(let state)? = doc["status"] else { return nil }
        return state == "succeeded" ? true : state == "failed" ? false : nil
    }

    static func poll(base: String, waiting: Shared<[String]>, completions: Completions) async {
        var pause = 0.001
        while !Task.isCancelled {
            let batch = waiting.withLock { Array($0.prefix(16)) }
            if batch.isEmpty { try? await Task.sleep(for: .milliseconds(1)); pause = 0.001; continue }
            let ended = await withTaskGroup(of: (String, Bool?).self) { group in
                for id in batch { group.addTask { (id, await state(base: base, id: id)) } }
                var out: [(String, Bool)] = []
                for await (id, state) in group { if let state { out.append((id, state)) } }
                return out
            }
            if ended.isEmpty { try? await Task.sleep(for: .seconds(pause)); pause = min(0.02, 1.5 * pause); continue }
            pause = 0.001
            let done = Set(ended.map(\.0))
            waiting.withLock { $0.removeAll { done.contains($0) } }
            for (id, ok) in ended { await completions.resolve(id, ok: ok) }
        }
    }

    func run(id: String, body: [UInt8]) async throws -> JobOutcome {
        var refusals = 0
        while true {
            let (status, answer) = try await HTTPCalls.call(.POST, "\(base)/v1/jobs", body: body)
            if status == 503 { refusals += 1; try await Task.sleep(for: .milliseconds(50)); continue }
            guard status == 202 || status == 200 else { throw BenchError("POST /v1/jobs answered \(status): \(String(decoding: answer, as: UTF8.self))") }
            break
        }
        waiting.withLock { $0.append(id) }
        return JobOutcome(ok: await completions.wait(id), refusals: refusals)
    }

    func close() async {
        poller?.cancel()
        server.stop()
    }
}
