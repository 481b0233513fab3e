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

    /// Runs `body(i)` for `i` in `0..<count`, in parallel when `count > 1`, and returns the results
    /// in index order. The first error thrown (lowest index) is rethrown after all pieces finish.
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws(SciLearnError) -> T)
        throws(SciLearnError) -> [T] {
        if count == 0 { return [] }
        if count == 1 { return [try body(0)] }
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
    /// beyond the barrier `concurrentPerform` provides.
    private final class Slots<T>: @unchecked Sendable {
        var values: [Result<T, SciLearnError>?]
        init(_ n: Int) { values = Array(repeating: nil, count: n) }
        func set(_ i: Int, _ v: Result<T, SciLearnError>) {
            values.withUnsafeMutableBufferPointer { $0[i] = v }
        }
    }
}
