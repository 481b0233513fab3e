#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The process-wide budget of engine threads: at most one per core, callers included.
///
/// A thread counts while it runs a job (``Parallelism/job(_:)``) or a parallel loop; a loop's
/// helper threads are granted only while the count is below the core count, and a helper hands
/// its place back between pieces as soon as the count is above it (another job has started).
/// So two jobs side by side never run more threads than cores for longer than one piece, and a
/// lone job uses every core.
enum ThreadBudget {
    private static let active = Atomic<Int>(0)

    /// Per-thread registration depth and thread limit (0: none), in thread-specific storage.
    private static let depthKey: pthread_key_t = makeKey()
    private static let limitKey: pthread_key_t = makeKey()

    private static func makeKey() -> pthread_key_t {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }

    private static func get(_ key: pthread_key_t) -> Int { Int(bitPattern: pthread_getspecific(key)) }
    private static func set(_ key: pthread_key_t, _ v: Int) { pthread_setspecific(key, UnsafeRawPointer(bitPattern: v)) }

    static var cores: Int { Parallel.coreCount }

    /// Threads counted now (for the docs' measurements and tests).
    static var activeCount: Int { active.load(ordering: .relaxed) }

    /// Counts the calling thread while `body` runs (re-entrant: nested scopes count once).
    static func counting<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let depth = get(depthKey)
        if depth == 0 { active.add(1, ordering: .relaxed) }
        set(depthKey, depth + 1)
        defer {
            set(depthKey, depth)
            if depth == 0 { active.subtract(1, ordering: .relaxed) }
        }
        return try body()
    }

    /// The calling thread's limit on threads per parallel loop (nil: the core count).
    static var threadLimit: Int? {
        let v = get(limitKey)
        return v == 0 ? nil : v
    }

    static func withThreadLimit<T, E: Error>(_ n: Int, _ body: () throws(E) -> T) throws(E) -> T {
        let saved = get(limitKey)
        set(limitKey, max(1, n))
        defer { set(limitKey, saved) }
        return try body()
    }

    /// Takes a helper's place if the count is below the core count.
    static func acquireHelper() -> Bool {
        var current = active.load(ordering: .relaxed)
        while current < cores {
            let (exchanged, original) = active.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    static func releaseHelper() { active.subtract(1, ordering: .relaxed) }

    /// Whether more threads are counted than there are cores (a helper should step back).
    static var oversubscribed: Bool { active.load(ordering: .relaxed) > cores }
}
