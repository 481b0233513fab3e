// service-bench: times `SciLearnService.run(body:)` in-process on one request file, the
// baseline the HTTP path's added latency is measured against (Benchmarks/http/load.py).
//
//   service-bench FILE [--warmup K] [--repeats R] [--parse-only]
//
// Prints one JSON object: the median, p90 and p99 in microseconds, and the job's status.
import Foundation
import SciLearnService

let args = Array(CommandLine.arguments.dropFirst())
guard let path = args.first, let body = FileManager.default.contents(atPath: path) else {
    FileHandle.standardError.write(Data("usage: service-bench FILE [--warmup K] [--repeats R]\n".utf8))
    exit(2)
}
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
let warmup = option("--warmup", 200)
// --parse-only: time the request's decoding and shape check alone (JobRequest.envelope).
let parseOnly = args.contains("--parse-only")
let repeats = option("--repeats", 2000)
let bytes = [UInt8](body)
let service = SciLearnService()
var status = ""
for _ in 0..<warmup { _ = service.run(body: bytes) }
var micros: [Double] = []
micros.reserveCapacity(repeats)
let clock = ContinuousClock()
for _ in 0..<repeats {
    let start = clock.now
    if parseOnly {
        _ = try? JobRequest.envelope(bytes, limits: service.limits)
        let d = clock.now - start
        micros.append(Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) * 1e-12)
        continue
    }
    let response = service.run(body: bytes)
    // Serialising the response is part of what the HTTP path also does.
    let json = response.json
    let d = clock.now - start
    status = response.errorCode?.rawValue ?? "ok"
    precondition(!json.isEmpty)
    micros.append(Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) * 1e-12)
}
let sorted = micros.sorted()
func q(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))] }
let out: [String: Any] = ["status": status, "repeats": repeats, "p50_us": q(0.5), "p90_us": q(0.9), "p99_us": q(0.99)]
print(String(decoding: try! JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
