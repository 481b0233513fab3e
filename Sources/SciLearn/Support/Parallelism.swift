/// The engine's threading policy, as callers see it: the engine owns all parallelism (BLAS runs
/// single-threaded inside it), uses every core for a lone job, and never more threads than cores
/// across jobs running side by side. Results are identical whatever the number of threads.
public enum Parallelism {
    /// The cores the engine uses.
    public static var cores: Int { Parallel.coreCount }

    /// Runs one job's computation, counting the calling thread in the engine's thread budget
    /// while it runs, so that parallel loops of other jobs do not take its core. Servers wrap
    /// each job in it; a single caller need not.
    public static func job<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        BLASThreading.pinSingleThreaded()
        return try ThreadBudget.counting(body)
    }

    /// Runs `body(i)` for `i` in `0..<count` on the engine's threads (within its budget, in
    /// parallel when `work`, in elements touched, makes it worth it) and returns the results in
    /// index order: for work beside the engine that follows the same policy (the data readers).
    public static func map<T: Sendable>(_ count: Int, work: Int = .max, _ body: @Sendable (Int) -> T) -> [T] {
        do throws(SciLearnError) {
            return try Parallel.map(count, work: work) { (i: Int) throws(SciLearnError) -> T in body(i) }
        } catch {
            // Only a cancelled token throws here; the pieces themselves cannot.
            return (0..<count).map(body)
        }
    }

    /// Runs `body` with at most `threads` threads in each of the engine's parallel loops on this
    /// thread (1: everything on the calling thread). For tests of determinism and for callers
    /// that bound a job's share of the machine themselves.
    public static func withThreadLimit<T, E: Error>(_ threads: Int, _ body: () throws(E) -> T) throws(E) -> T {
        try ThreadBudget.withThreadLimit(threads, body)
    }
}
