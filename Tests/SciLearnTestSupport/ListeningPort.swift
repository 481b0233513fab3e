import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The port a server started with `--port 0` reports in its log ("listening on 127.0.0.1:PORT"),
/// read from its standard error. Tests start servers this way rather than on a port found free
/// first, which another test's server could take before this one binds it.
public enum ListeningPort {
    /// Reads `errors` until the log names the port, `seconds` pass (each read waits in `poll`
    /// for at most the time left, so a server that stalls without writing cannot hang the test),
    /// or the server closes it; then keeps draining it on a thread of its own so that the server
    /// never blocks on a full pipe. Returns the port, or nil and the log so far.
    public static func read(from errors: Pipe, within seconds: Double) -> (port: Int?, log: String) {
        var log = ""
        let handle = errors.fileHandleForReading
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return (nil, log) }
            var descriptor = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(left * 1000, 1000).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let data = handle.availableData
            if data.isEmpty { return (nil, log) }
            log += String(decoding: data, as: UTF8.self)
            // (The port's digits whole: a character after them.)
            if let range = log.range(of: #"listening on 127\.0\.0\.1:\d+\D"#, options: .regularExpression),
               let port = Int(log[range].dropLast().split(separator: ":").last!) {
                Thread.detachNewThread { while !handle.availableData.isEmpty {} }
                return (port, log)
            }
        }
    }
}
