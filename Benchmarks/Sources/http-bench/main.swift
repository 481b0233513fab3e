// http-bench: the HTTP path's added latency over calling the service in-process, measured
// pairwise (Benchmarks/http/load.py drives it).
//
//   http-bench FILE --port P [--pairs N] [--warmup K]
//
// For each pair, in this one process and one after the other: the request through
// `SciLearnService.run(body:)` plus serialising its response (what the server does besides
// HTTP), then the same bytes as `POST /v1/run` on one keep-alive loopback connection (send, read
// the whole response). The two halves of a pair run within a few milliseconds of each other, so
// the machine's drift (on this VM the same loop runs at 1.45 ms or 2.3 ms from one second to
// the next) cancels in their difference. Prints the medians and the median of the differences,
// and the median of round trip minus the server's own time on the job (`Server-Timing`).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SciLearnService

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
guard let path = args.first, let body = FileManager.default.contents(atPath: path), option("--port", 0) > 0 else {
    FileHandle.standardError.write(Data("usage: http-bench FILE --port P [--pairs N] [--warmup K]\n".utf8))
    exit(2)
}
let port = option("--port", 0), pairs = option("--pairs", 2000), warmup = option("--warmup", 200)
let bytes = [UInt8](body)
let request = Array("POST /v1/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\n\r\n".utf8) + bytes

let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
var one: Int32 = 1
setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
var addr = sockaddr_in()
addr.sin_family = sa_family_t(AF_INET)
addr.sin_port = in_port_t(UInt16(port).bigEndian)
addr.sin_addr.s_addr = inet_addr("127.0.0.1")
let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
guard rc == 0 else { FileHandle.standardError.write(Data("http-bench: cannot connect to port \(port)\n".utf8)); exit(1) }

var inbox = [UInt8](repeating: 0, count: 1 << 20)
/// Sends the request and reads one Content-Length-framed response; returns its status and the
/// server's own time on the job (its `Server-Timing: job;dur=` header, in ms).
@MainActor func roundTrip() -> (Int, Double) {
    request.withUnsafeBytes { raw in
        var off = 0
        while off < raw.count { off += max(0, send(fd, raw.baseAddress! + off, raw.count - off, 0)) }
    }
    var have = 0, headEnd = -1, total = -1, status = 0, serverMs = -1.0
    while total < 0 || have < total {
        let n = inbox.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + have, $0.count - have, 0) }
        guard n > 0 else { FileHandle.standardError.write(Data("http-bench: connection closed\n".utf8)); exit(1) }
        have += n
        if headEnd < 0, have >= 4 {
            for i in 0...(have - 4) where inbox[i] == 13 && inbox[i + 1] == 10 && inbox[i + 2] == 13 && inbox[i + 3] == 10 { headEnd = i; break }
            if headEnd >= 0 {
                let head = String(decoding: inbox[0..<headEnd], as: UTF8.self).lowercased()
                status = Int(head.split(separator: " ")[1]) ?? 0
                let length = head.components(separatedBy: "content-length:").last.flatMap { Int($0.split(separator: "\r")[0].trimmingCharacters(in: .whitespaces)) } ?? 0
                total = headEnd + 4 + length
                if let r = head.range(of: "server-timing: job;dur=") {
                    serverMs = Double(head[r.upperBound...].prefix { $0 == "." || $0.isNumber }) ?? -1
                }
            }
        }
    }
    return (status, serverMs)
}

let service = SciLearnService()
let clock = ContinuousClock()
func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15 }
var local: [Double] = [], http: [Double] = [], added: [Double] = [], transport: [Double] = []
for k in 0..<(warmup + pairs) {
    let t0 = clock.now
    let response = service.run(body: bytes)
    let json = response.json
    let t1 = clock.now
    let (status, serverMs) = roundTrip()
    let t2 = clock.now
    precondition(!json.isEmpty && response.errorCode == nil && status == 200, "the request must succeed (status \(status))")
    if k >= warmup {
        local.append(ms(t1 - t0)); http.append(ms(t2 - t1)); added.append(ms(t2 - t1) - ms(t1 - t0))
        if serverMs >= 0 { transport.append(ms(t2 - t1) - serverMs) }
    }
}
func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
func q(_ v: [Double], _ p: Double) -> Double { let s = v.sorted(); return s[min(s.count - 1, Int(p * Double(s.count)))] }
let out: [String: Any] = [
    "pairs": pairs, "in_process_p50_ms": median(local), "http_p50_ms": median(http),
    "added_p50_ms": median(added), "added_p90_ms": q(added, 0.9), "added_p99_ms": q(added, 0.99),
    // Round trip minus the server's own time on the job (Server-Timing): the transport alone,
    // without the difference between a cache-hot in-process run and the server's run.
    "transport_p50_ms": transport.isEmpty ? -1 : median(transport),
]
print(String(decoding: try! JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
