import Dispatch
import Foundation
import Synchronization

/// The engine's one way of splitting work across cores: `count` independent pieces, each writing
/// only its own slot of the result, run by the calling thread and by as many helper threads as
/// the process-wide ``ThreadBudget`` grants (at most one thread per core, across all jobs).
///
/// Pieces are handed out dynamically, but a piece's result does not depend on which thread ran
/// it, and piece boundaries never depend on the number of cores, so results are bit-for-bit
/// identical whatever the thread count.
enum Parallel {
    /// The number of cores the engine's own loops use.
    static let coreCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Where helpers run: a private concurrent queue, which targets Dispatch's overcommit pool,
    /// so a helper always gets a thread even when every thread of the default pool is busy or
    /// blocked (a caller waiting for its helpers on that pool could otherwise wait for itself).
    /// The thread budget, not the queue, bounds how many helpers run.
    private static let helpers = DispatchQueue(label: "scilearn.parallel", qos: .userInitiated, attributes: .concurrent)

    /// Below this many elements of total work, pieces run on the calling thread: waking helper
    /// threads costs more than the work.
    static let serialBelow = 1 << 18

    /// Runs `body(i)` for `i` in `0..<count`, in parallel when `count > 1`, the total `work` (in
    /// elements touched) is at least ``serialBelow`` and the budget grants helpers, and returns
    /// the results in index order. The first error thrown (lowest index) is rethrown after all
    /// pieces finish.
    static func map<T: Sendable>(_ count: Int, work: Int = .max, _ body: @Sendable (Int) throws(SciLearnError) -> T)
        throws(SciLearnError) -> [T] {
        BLASThreading.pinSingleThreaded()
        if count == 0 { return [] }
        let wanted = min(count, ThreadBudget.threadLimit ?? coreCount, coreCount) - 1
        if wanted == 0 || work < serialBelow {
            var out: [T] = []
            out.reserveCapacity(count)
            for i in 0..<count {
                try CancellationToken.check()
                out.append(try body(i))
            }
            return out
        }
        // Helpers check the caller's token (task-locals do not cross to Dispatch threads).
        let token = CancellationToken.current
        return try ThreadBudget.counting { () throws(SciLearnError) -> [T] in
            // Per-index result slots in one buffer allocated up front, each written by exactly one
            // piece and read after the group's wait: writing through an array from several
            // threads would race on its copy-on-write check (seen: a crash with a million
            // single-column pieces).
            let slots = SharedBuffer<Result<T, SciLearnError>?>(repeating: nil, count: count)
            let next = Atomic<Int>(0)
            @Sendable func drain(helper: Bool) {
                while true {
                    if helper && ThreadBudget.oversubscribed { return }
                    let i = next.add(1, ordering: .relaxed).oldValue
                    if i >= count { return }
                    do throws(SciLearnError) {
                        try CancellationToken.check()
                        slots.pointer[i] = .success(try body(i))
                    } catch {
                        slots.pointer[i] = .failure(error)
                    }
                }
            }
            withoutActuallyEscaping(drain) { drain in
                let group = DispatchGroup()
                for _ in 0..<wanted {
                    guard ThreadBudget.acquireHelper() else { break }
                    let work = UncheckedSendable(drain)
                    helpers.async(group: group) {
                        CancellationToken.$current.withValue(token) { work.value(true) }
                        ThreadBudget.releaseHelper()
                    }
                }
                drain(false)
                group.wait()
            }
            var out: [T] = []
            out.reserveCapacity(count)
            for result in slots.array {
                switch result! {
                case .success(let v): out.append(v)
                case .failure(let e): throw e
                }
            }
            return out
        }
    }

    /// A closure that outlives its scope only until `group.wait()` returns.
    private struct UncheckedSendable<V>: @unchecked Sendable {
        let value: V
        init(_ value: V) { self.value = value }
    }
}
