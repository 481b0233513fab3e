import Synchronization

/// A one-shot rendezvous between a pool thread and an awaiting task: whichever of the result
/// or a cancellation comes first wins; later ones are ignored.
final class ResultSlot<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, any Error>)
        case settled(Result<Value, any Error>)
        case consumed
    }
    private let state = Mutex(State.empty)

    /// Whether a result or a cancellation has already arrived (the pool skips work then).
    var isSettled: Bool {
        state.withLock { if case .empty = $0 { return false }; if case .waiting = $0 { return false }; return true }
    }

    func install(_ continuation: CheckedContinuation<Value, any Error>) {
        let ready: Result<Value, any Error>? = state.withLock { s in
            if case .settled(let r) = s { s = .consumed; return r }
            s = .waiting(continuation)
            return nil
        }
        if let ready { continuation.resume(with: ready) }
    }

    func settle(_ result: Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = state.withLock { s in
            switch s {
            case .empty: s = .settled(result); return nil
            case .waiting(let c): s = .consumed; return c
            case .settled, .consumed: return nil
            }
        }
        waiting?.resume(with: result)
    }
}
