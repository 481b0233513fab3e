#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine owns all parallelism; BLAS and LAPACK always run on the thread that calls them.
///
/// OpenBLAS is set to one thread once, the first time the engine runs, and never changed after:
/// there is no process-wide setting that one fit can change under another. Where a single large
/// BLAS-3 product would want every core (a Gram matrix XᵀX), the engine splits it by rows
/// itself (`TallRows.crossProduct()`, the cross products of ridge, ridge_cv and the elastic net),
/// through the same thread budget as its other loops. Why
/// (Docs/architecture.md): OpenBLAS's own threads inside the tall-skinny QR's many small calls
/// made OLS on 1,000,000 × 50 5-8× slower on 2 cores (measured, Docs/benchmarks.md); and each
/// job's OpenBLAS would start as many threads as cores, so two jobs would run twice as many
/// threads as cores. A no-op when the BLAS at run time is not OpenBLAS (the
/// symbol is looked up with `dlsym`, so the build does not depend on OpenBLAS).
enum BLASThreading {
    private typealias SetThreads = @convention(c) (Int32) -> Void

    private static let pinned: Bool = {
        guard let handle = dlopen(nil, RTLD_NOW), let set = dlsym(handle, "openblas_set_num_threads") else { return false }
        unsafeBitCast(set, to: SetThreads.self)(1)
        return true
    }()

    /// Sets OpenBLAS to one thread (once per process); cheap after the first call.
    static func pinSingleThreaded() { _ = pinned }
}
