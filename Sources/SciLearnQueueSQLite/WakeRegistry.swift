import SciLearnQueue
import Synchronization

/// One ``WakeSignal`` per database path, shared by every queue value of this process on it.
final class WakeRegistry: Sendable {
    private let signals = Mutex<[String: WakeSignal]>([:])

    func signal(for path: String) -> WakeSignal {
        signals.withLock { s in
            if let w = s[path] { return w }
            let w = WakeSignal()
            s[path] = w
            return w
        }
    }
}
