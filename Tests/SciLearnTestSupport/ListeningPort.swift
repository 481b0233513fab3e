import Foundation

/// The port a server started with `--port 0` reports in its log ("listening on 127.0.0.1:PORT"),
/// read from its standard error. Tests start servers this way rather than on a port found free
/// first, which another test's server could take before this one binds it.
public enum ListeningPort {
    /// Reads `errors` until the log names the port or `seconds` pass (or the server exits), then
    /// keeps draining it on a thread of its own so that the server never blocks on a full pipe.
    /// Returns the port, or nil and the log so far.
    public static func read(from errors: Pipe, within seconds: Double) -> (port: Int?, log: String) {
        var log = ""
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            log += String(decoding: data, as: UTF8.self)
            if let range = log.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
               let port = Int(log[range].split(separator: ":").last!) {
                Thread.detachNewThread { while !errors.fileHandleForReading.availableData.isEmpty {} }
                return (port, log)
            }
        }
        return (nil, log)
    }
}
