#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Diagnostics: appends one line per job run ("<job id>\n") to a file with `O_APPEND`, one
/// `write(2)` each, so that lines from several processes, and lines written just before a
/// `kill -9`, are whole. The crash test counts runs with it.
final class RunLog: Sendable {
    private let fd: Int32

    /// Opens (or creates) the file. The descriptor is stored only once open: a class whose
    /// properties are all set when its initializer throws still runs `deinit`.
    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw QueueError(.invalidArgument, "run log \(path): cannot open (errno \(errno))") }
        self.fd = fd
    }

    func append(_ id: String) {
        var line = Array(id.utf8)
        line.append(UInt8(ascii: "\n"))
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    deinit { close(fd) }
}
