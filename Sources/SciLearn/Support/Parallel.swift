import Dispatch
import Foundation

/// The engine's one way of splitting work across cores: `count` independent pieces run on a
/// bounded pool (GCD's `concurrentPerform`), each writing only its own slot of the result.
///
/// Work is divided into pieces whose boundaries do not depend on the number of cores, so results
/// are bit-for-bit identical whatever the thread count.
enum Parallel {
    /// The number of cores the engine's own loops use.
    static var coreCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Below this many elements of total work, pieces run on the calling thread: waking pool
    /// threads costs more than the work, and on a busy machine (a server running one job per
    /// core) a parallel region waits for a thread the scheduler has given to someone else.
    static let serialBelow = 1 << 18

    /// Runs `body(i)` for `i` in `0..<count`, in parallel when `count > 1` and the total `work`
    /// (in elements touched) is at least ``serialBelow``, and returns the results in index order.
    /// The first error thrown (lowest index) is rethrown after all pieces finish.
    static func map<T: Sendable>(_ count: Int, work: Int = .max, _ body: @Sendable (Int) throws(SciLearnError) -> T)
        throws(SciLearnError) -> [T] {
        if count == 0 { return [] }
        if count == 1 || work < serialBelow {
            var out: [T] = []
            out.reserveCapacity(count)
            for i in 0..<count { out.append(try body(i)) }
            return out
        }
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            do throws(SciLearnError) {
                slots.set(i, .success(try body(i)))
            } catch {
                slots.set(i, .failure(error))
            }
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for result in slots.values {
            switch result! {
            case .success(let v): out.append(v)
            case .failure(let e): throw e
            }
        }
        return out
    }

    /// Per-index result slots; each index is written by exactly one piece, so no lock is needed
    /// beyond the barrier `concurrentPerform` provides. The slots live in one buffer allocated
    /// up front: writing through an array property from several threads would race on its
    /// copy-on-write uniqueness check (seen: a crash with a million single-column pieces).
    private final class Slots<T>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<Result<T, SciLearnError>?>
        private let count: Int

        init(_ n: Int) {
            count = n
            base = .allocate(capacity: n)
            base.initialize(repeating: nil, count: n)
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }

        func set(_ i: Int, _ v: Result<T, SciLearnError>) { base[i] = v }

        var values: [Result<T, SciLearnError>?] { Array(UnsafeBufferPointer(start: base, count: count)) }
    }
}
