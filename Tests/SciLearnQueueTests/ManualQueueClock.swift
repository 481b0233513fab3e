import Foundation
import SciLearnQueue
import SciLearnService
import Synchronization

/// A ``QueueClock`` the test moves by hand: visibility windows, heartbeats and drain deadlines
/// pass when the test says so, not when a loaded machine gets round to scheduling it.
final class ManualQueueClock: QueueClock {
    private struct Sleeper {
        let until: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        var sleepers: [Int: Sleeper] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
        var sleepsStarted = 0
    }

    private let state = Mutex(State())

    var now: Date { state.withLock { $0.now } }

    /// Sleeps in progress now.
    var pendingSleeps: Int { state.withLock { $0.sleepers.count } }
    /// Sleeps begun since the start.
    var sleepsStarted: Int { state.withLock { $0.sleepsStarted } }

    func sleep(for duration: Duration) async throws {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let resume: CheckedContinuation<Void, any Error>? = state.withLock { s in
                    if s.cancelled.remove(id) != nil { return c }
                    s.sleepsStarted += 1
                    s.sleepers[id] = Sleeper(until: s.now.addingTimeInterval(duration.seconds), continuation: c)
                    return nil
                }
                resume?.resume(throwing: CancellationError())
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { s in
                guard let sleeper = s.sleepers.removeValue(forKey: id) else {
                    s.cancelled.insert(id)
                    return nil
                }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the time on by `duration` and wakes every sleeper now due.
    func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { s in
            s.now = s.now.addingTimeInterval(duration.seconds)
            let now = s.now
            let ids = s.sleepers.filter { $0.value.until <= now }.map(\.key)
            return ids.compactMap { s.sleepers.removeValue(forKey: $0) }
        }
        for d in due { d.continuation.resume() }
    }
}

/// A job's gate: the scripted job runs until the test opens it (or its token is cancelled).
final class Gate: Sendable {
    private let open = Atomic<Bool>(false)
    func release() { open.store(true, ordering: .releasing) }
    var isOpen: Bool { open.load(ordering: .acquiring) }
}
