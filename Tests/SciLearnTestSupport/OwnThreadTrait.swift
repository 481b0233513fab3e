import Foundation
import Synchronization
import Testing

/// Runs each test case of a suite (or one test) on a thread of its own, at most as many at once
/// as the machine has cores, instead of on the test runner's cooperative threads.
///
/// Why: the cooperative pool has one thread per core (two here). A test body that computes for
/// seconds (a large fit, a conformance sweep) or blocks (a process, a semaphore) holds one of
/// them for that long, and two such bodies stall every async test of the process: the queue
/// worker's loops, the HTTP tests' clients, the `eventually` polls. On a loaded machine those
/// stalls ran past the wall-clock bounds of tests that have nothing to do with the heavy ones
/// (a fresh clone's CI: every test in the process waited 49 s before any completed). Compute-
/// heavy suites carry this trait; the suites that wait on time stay on the pool, which is then
/// left to them.
public struct OwnThreadTrait: SuiteTrait, TestTrait, TestScoping {
    /// What the bodies do with their thread.
    public enum Use: Sendable {
        /// They compute: at most as many run at once as there are cores.
        case computing
        /// They wait (on processes, servers, semaphores): any number at once.
        case waiting
    }

    public let use: Use

    public var isRecursive: Bool { true }

    /// The scope is the test case's, not the suite's: each case gets its thread.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        if use == .computing { await Self.slots.acquire() }
        defer { if use == .computing { Self.slots.release() } }
        let executor = OwnThreadExecutor()
        defer { executor.close() }
        try await withTaskExecutorPreference(executor) {
            try await function()
        }
    }

    /// How many computing test cases run at once: the cores, so that they compete with each
    /// other and with the timing tests as the machine's scheduler decides, and are not all
    /// started (and their data allocated) at once.
    static let slots = AsyncSlots(ProcessInfo.processInfo.activeProcessorCount)
}

extension Trait where Self == OwnThreadTrait {
    /// Each test case on a thread of its own, off the cooperative pool (see ``OwnThreadTrait``).
    public static func ownThread(_ use: OwnThreadTrait.Use) -> Self { OwnThreadTrait(use: use) }
}

/// A counting semaphore whose waiters suspend instead of blocking a thread.
final class AsyncSlots: Sendable {
    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(_ count: Int) { state = Mutex(State(free: max(1, count))) }

    func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.free > 0 {
                    s.free -= 1
                    return true
                }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func release() {
        state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty {
                s.free += 1
                return nil
            }
            return s.waiters.removeFirst()
        }?.resume()
    }
}
