import Dispatch
import Logging
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Every open connection of the server, and the limit on their number: the server must never run
/// out of file descriptors (then `/healthz` itself could not be accepted), so the limit sits below
/// the descriptor limit, and at the limit a new connection closes the longest-idle one (a client
/// that is using its connection is never cut off for one that is not). Only when every connection
/// is busy with a request is the new one closed at once.
///
/// After a burst of connections has closed, freed memory is handed back to the kernel
/// (`malloc_trim`): glibc otherwise keeps the heap it grew to, and 20,000 idle sockets leave
/// about 240 MB behind.
final class ConnectionRegistry: Sendable {
    let limit: Int
    private let logger: Logger

    private struct State {
        var open: [ObjectIdentifier: TrackedConnection] = [:]
        /// Most connections open since the last trim.
        var peak = 0
        var trimScheduled = false
        var evicted = 0
        var refused = 0
    }
    private let state = Mutex(State())

    /// A drop of this many connections from the peak (to half of it or less) triggers a trim.
    static let trimAfterDrop = 1_000

    init(limit: Int, logger: Logger) {
        precondition(limit >= 1, "max connections must be >= 1")
        self.limit = limit
        self.logger = logger
    }

    var count: Int { state.withLock { $0.open.count } }

    /// Connections closed to make room, and refused because all were busy, since start.
    var evictedAndRefused: (evicted: Int, refused: Int) { state.withLock { ($0.evicted, $0.refused) } }

    /// Registers a new connection. At the limit, closes the longest-idle one to make room, or,
    /// when none is idle, returns false (the caller closes the new one).
    func admit(_ connection: TrackedConnection) -> Bool {
        let (admitted, victim) = state.withLock { s -> (Bool, TrackedConnection?) in
            var victim: TrackedConnection?
            if s.open.count >= limit {
                // O(connections), only at the limit.
                var oldest = UInt64.max
                for c in s.open.values {
                    if let since = c.idleSinceNanoseconds, since < oldest { oldest = since; victim = c }
                }
                guard let v = victim else { s.refused += 1; return (false, nil) }
                s.open[ObjectIdentifier(v)] = nil
                s.evicted += 1
            }
            s.open[ObjectIdentifier(connection)] = connection
            s.peak = max(s.peak, s.open.count)
            return (true, victim)
        }
        if let victim {
            victim.channel.close(promise: nil)
        }
        if !admitted {
            logger.warning("connection refused: every connection is busy", metadata: ["max_connections": .stringConvertible(limit)])
        }
        return admitted
    }

    /// Forgets a closed connection; trims the heap after a large drop.
    func remove(_ connection: TrackedConnection) {
        let trim = state.withLock { s -> Bool in
            s.open[ObjectIdentifier(connection)] = nil
            let n = s.open.count
            guard !s.trimScheduled, s.peak - n >= Self.trimAfterDrop, n * 2 <= s.peak else { return false }
            s.trimScheduled = true
            return true
        }
        if trim {
            // A second later, when the closed channels' memory has been freed, and off the
            // event loops.
            DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + 1) { [self] in
                Self.trimHeap()
                state.withLock { s in
                    s.trimScheduled = false
                    s.peak = s.open.count
                }
            }
        }
    }

    /// Returns free heap pages to the kernel (glibc `malloc_trim(0)`; a no-op elsewhere).
    static func trimHeap() {
        #if canImport(Glibc)
        // <malloc.h> is not in the Glibc module: the symbol by name.
        typealias Trim = @convention(c) (Int) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
