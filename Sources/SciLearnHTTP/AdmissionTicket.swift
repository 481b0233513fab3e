import Synchronization

/// One admitted request's hold on a concurrency slot. The request handler holds it while the
/// body streams in; once the job is handed to the pool, the pool releases it when the
/// computation really ends, so a request that timed out keeps its slot until its CPU work is
/// done and the limit stays true.
final class AdmissionTicket: Sendable {
    private enum State { case held, handedOver, released }
    private let state = Mutex(State.held)
    private let onRelease: @Sendable () -> Void

    init(onRelease: @escaping @Sendable () -> Void) {
        self.onRelease = onRelease
    }

    /// The pool owns the slot from now on.
    func handOver() {
        state.withLock { if $0 == .held { $0 = .handedOver } }
    }

    /// Called by the pool when the job ends.
    func release() {
        let first = state.withLock { s -> Bool in
            guard s != .released else { return false }
            s = .released
            return true
        }
        if first { onRelease() }
    }

    /// Called by the handler when it is done: frees the slot unless the pool owns it.
    func releaseIfHeld() {
        let first = state.withLock { s -> Bool in
            guard s == .held else { return false }
            s = .released
            return true
        }
        if first { onRelease() }
    }
}
