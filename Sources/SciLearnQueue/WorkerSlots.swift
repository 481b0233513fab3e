import Synchronization

/// A counted budget the worker waits on: places for unsettled messages. The receive loop waits
/// for room before it asks the queue for messages (pulling only with capacity), takes one per
/// message received, and a settled message gives its place back.
final class WorkerSlots: Sendable {
    private struct State {
        var free: Int
        var closed = false
        var waiter: CheckedContinuation<Int, Never>?
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(free: count))
    }

    /// The number of free slots, waiting until there is one; 0 once closed.
    func waitForFree() async -> Int {
        await withCheckedContinuation { c in
            let now: Int? = state.withLock { s in
                if s.closed { return 0 }
                if s.free > 0 { return s.free }
                s.waiter = c
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }

    /// The number of free slots now, without waiting (0 once closed).
    var freeNow: Int {
        state.withLock { $0.closed ? 0 : max(0, $0.free) }
    }

    func take(_ n: Int) {
        state.withLock { $0.free -= n }
    }

    func give(_ n: Int) {
        let woken = state.withLock { s -> (CheckedContinuation<Int, Never>, Int)? in
            s.free += n
            guard let w = s.waiter else { return nil }
            s.waiter = nil
            return (w, s.free)
        }
        woken?.0.resume(returning: woken!.1)
    }

    /// Wakes the waiter with 0 and makes every later wait return 0.
    func close() {
        let w = state.withLock { s -> CheckedContinuation<Int, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume(returning: 0)
    }
}
