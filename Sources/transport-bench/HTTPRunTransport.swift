import Foundation
import NIOHTTP1

/// (b) `POST /v1/run` on a `scilearn serve` of its own (no queue). A 503 (`overloaded`: every
/// job slot busy) is counted and the call made again after a pause that starts at 50 ms and
/// doubles up to 1 s (the server's `Retry-After`), at most `tries` tries in all (8 in the sweep);
/// then the job is given up (failed), as a client that sheds load does. In the traffic profile
/// each arrival tries once (`tries` 1): a 503 is the job refused, which is what a synchronous
/// service does with a burst beyond its capacity (and a load generator on the same two cores
/// retrying tens of thousands of refused jobs would measure itself, not the server).
struct HTTPRunTransport: Transport {
    let server: ChildProcess
    let base: String
    let tries: Int
    var name: String { "http" }

    init(scilearn: String, serveArguments: [String], logDirectory: String, tries: Int = 8) async throws {
        self.tries = tries
        let port = ChildProcess.freePort()
        server = try ChildProcess(scilearn, ["serve", "--port", "\(port)", "--queue", "none", "--log-level", "error"] + serveArguments,
                                  log: "\(logDirectory)/http-serve.log", name: "serve")
        base = "http://127.0.0.1:\(port)"
        try await HTTPCalls.waitHealthy("\(base)/healthz")
    }

    func run(id: String, body: [UInt8]) async throws -> JobOutcome {
        var refusals = 0, pause = 0.05
        while true {
            let (status, _) = try await HTTPCalls.call(.POST, "\(base)/v1/run", body: body)
            if status == 503 {
                refusals += 1
                if refusals >= tries { return JobOutcome(ok: false, refusals: refusals) }
                try await Task.sleep(for: .seconds(pause))
                pause = min(1, 2 * pause)
                continue
            }
            return JobOutcome(ok: status == 200, refusals: refusals)
        }
    }

    func close() async { server.stop() }
}
