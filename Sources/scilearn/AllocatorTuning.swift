#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for a process that runs many similar jobs: keep freed memory for the
/// next job instead of returning it to the kernel after each one.
///
/// By default glibc serves blocks of 128 KiB and more (a 116 KB request body, its parsed
/// numbers, a response) with fresh `mmap`s or trims the heap after they are freed, so every job
/// pays page faults and zeroing for memory the previous job just gave back. Measured on the
/// queue drain of OLS 1,000 × 10 jobs (Docs/benchmarks.md): CPU per job 0.93 → 0.78 ms, system
/// time −30%. Only blocks over 64 MiB are mapped on their own, and up to 256 MiB of free heap is
/// kept; the job memory limit (`--max-job-memory`) still bounds what a job may take. An
/// environment that sets glibc's own `MALLOC_*` variables keeps them.
enum AllocatorTuning {
    static func apply() {
        #if canImport(Glibc)
        let env = ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"]
        guard !env.contains(where: { getenv($0) != nil }) else { return }
        // <malloc.h> is not in the Glibc module: mallopt by name, with glibc's parameter numbers
        // (M_TRIM_THRESHOLD -1, M_TOP_PAD -2, M_MMAP_THRESHOLD -3).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 64 << 20)
        _ = mallopt(-1, 256 << 20)
        _ = mallopt(-2, 16 << 20)
        #endif
    }
}
