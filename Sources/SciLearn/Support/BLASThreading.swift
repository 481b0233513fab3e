#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Keeps OpenBLAS single-threaded while the engine runs its own parallel loops.
///
/// When the engine already splits work across all cores (the tall-skinny QR's leaves), OpenBLAS's
/// own threads inside each small LAPACK call only contend with it: measured on 2 cores, OLS on
/// 1,000,000 × 50 takes 1.8-2.6 s that way and 0.34 s with OpenBLAS at one thread. Scopes are
/// reference-counted: the first one in sets OpenBLAS to 1 thread, the last one out restores the
/// previous count. A no-op when the BLAS at run time is not OpenBLAS (the symbols are looked up
/// with `dlsym`, so the build does not depend on OpenBLAS).
enum BLASThreading {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32

    private struct State {
        var depth = 0
        var saved: Int32 = 0
    }

    private static let state = Mutex(State())

    private static let functions: (set: SetThreads, get: GetThreads)? = {
        guard let handle = dlopen(nil, RTLD_NOW),
              let set = dlsym(handle, "openblas_set_num_threads"),
              let get = dlsym(handle, "openblas_get_num_threads") else { return nil }
        return (unsafeBitCast(set, to: SetThreads.self), unsafeBitCast(get, to: GetThreads.self))
    }()

    /// Runs `body` with OpenBLAS limited to one thread.
    static func singleThreaded<T>(_ body: () throws(SciLearnError) -> T) throws(SciLearnError) -> T {
        guard let f = functions else { return try body() }
        state.withLock { s in
            if s.depth == 0 {
                s.saved = f.get()
                if s.saved != 1 { f.set(1) }
            }
            s.depth += 1
        }
        defer {
            state.withLock { s in
                s.depth -= 1
                if s.depth == 0 && s.saved != 1 { f.set(s.saved) }
            }
        }
        return try body()
    }
}
