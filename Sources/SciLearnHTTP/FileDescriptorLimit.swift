#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`), which bounds how many connections a server
/// can hold: every socket is a descriptor, and a process at the limit cannot accept even the
/// health check.
public enum FileDescriptorLimit {
    /// Descriptors kept free of connections: the listener, the queue's database files and
    /// journals, logs, the engine's and NIO's own.
    public static let reserve = 256

    /// Raises the soft limit to the hard one (what `ulimit -n` could do by hand; a process may
    /// always go up to its hard limit) and returns the soft limit now in force.
    @discardableResult
    public static func raiseToHard() -> Int {
        var l = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &l) == 0 else { return 1024 }
        if l.rlim_cur < l.rlim_max {
            var raised = l
            raised.rlim_cur = l.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { l = raised }
        }
        return Int(clamping: l.rlim_cur)
    }

    /// The most connections a server may hold under a soft limit of `descriptors`.
    public static func maxConnections(requested: Int, descriptors: Int) -> Int {
        max(1, min(requested, descriptors - reserve))
    }
}
