import Synchronization

/// Wakes long-polling receivers of this process when a message is sent here, so that an
/// in-process producer (the HTTP front end) is not slowed by the poll interval. Receivers in
/// other processes poll.
package final class WakeSignal: Sendable {
    private struct State {
        var generation = 0
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waits released before their continuation was registered.
        var released: Set<Int> = []
    }

    private let state = Mutex(State())

    package init() {}

    /// The current generation: a later ``wait(after:upTo:)`` returns at once if a signal came
    /// after it was read.
    package var generation: Int { state.withLock { $0.generation } }

    package func signal() {
        let woken = state.withLock { s in
            s.generation += 1
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for c in woken { c.resume() }
    }

    /// Returns after a signal newer than `generation`, after `limit`, or on cancellation.
    package func wait(after generation: Int, upTo limit: Duration) async {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { c in
                    let fired = self.state.withLock { s in
                        if s.generation != generation || s.released.contains(id) { return true }
                        s.waiters[id] = c
                        return false
                    }
                    if fired { c.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                self.resume(id)
            }
            await group.next()
            group.cancelAll()
            self.resume(id)
        }
        _ = state.withLock { $0.released.remove(id) }
    }

    private func resume(_ id: Int) {
        state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let c = s.waiters.removeValue(forKey: id) else {
                s.released.insert(id)
                return nil
            }
            return c
        }?.resume()
    }
}
