import Dispatch
import NIOCore
import Synchronization

/// One open connection as the ``ConnectionRegistry`` sees it: its channel, and since when it has
/// been idle (no request in progress), so that the longest-idle one can be closed at the limit.
final class TrackedConnection: Sendable {
    let channel: any Channel
    /// Monotonic nanoseconds since the connection became idle; 0 while a request is in progress.
    private let idleSince: Atomic<UInt64>

    init(channel: any Channel) {
        self.channel = channel
        self.idleSince = Atomic(Self.now())
    }

    /// A request head arrived.
    func markBusy() { idleSince.store(0, ordering: .relaxed) }

    /// The last response ended with no request in progress.
    func markIdle() { idleSince.store(Self.now(), ordering: .relaxed) }

    /// When the connection became idle, or nil while it serves a request.
    var idleSinceNanoseconds: UInt64? {
        let v = idleSince.load(ordering: .relaxed)
        return v == 0 ? nil : v
    }

    static func now() -> UInt64 { max(1, DispatchTime.now().uptimeNanoseconds) }
}
