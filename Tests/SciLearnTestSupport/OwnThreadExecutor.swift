import Foundation
import Synchronization

/// A task executor with one thread of its own: the jobs of a task that prefers it run there,
/// one at a time, in order, never on the cooperative threads.
///
/// The thread ends at ``close()`` once its queue is empty; a job enqueued after that runs on
/// the global concurrent executor, so a late child task is never lost.
public final class OwnThreadExecutor: TaskExecutor, Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
        var head = 0
        var closed = false
        var ended = false
    }

    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    /// Starts the thread.
    public init() {
        Thread { [self] in
            Thread.current.threadDictionary[Self.marker] = true
            loop()
        }.start()
    }

    private static let marker = "scilearn.test.own-thread"

    /// Whether the caller runs on the thread of an `OwnThreadExecutor`.
    public static var isCurrent: Bool { Thread.current.threadDictionary[marker] != nil }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let queued = state.withLock { s in
            guard !s.ended else { return false }
            s.jobs.append(job)
            return true
        }
        if queued {
            ready.signal()
        } else {
            globalConcurrentExecutor.enqueue(job)
        }
    }

    /// Lets the thread end once it has run what is queued.
    public func close() {
        state.withLock { $0.closed = true }
        ready.signal()
    }

    private func loop() {
        while true {
            ready.wait()
            let next: UnownedJob?? = state.withLock { s in
                if s.head < s.jobs.count {
                    defer { s.head += 1 }
                    if s.head > 256 {
                        s.jobs.removeFirst(s.head)
                        s.head = 0
                    }
                    return .some(s.jobs[s.head])
                }
                if s.closed {
                    s.ended = true
                    return .some(nil)
                }
                return nil
            }
            switch next {
            case .some(.some(let job)): job.runSynchronously(on: asUnownedTaskExecutor())
            case .some(.none): return
            case .none: continue
            }
        }
    }
}
