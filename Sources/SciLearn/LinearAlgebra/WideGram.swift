import CKernels
import CLapack

/// The Gram product `C += AᵀA` (upper triangle) of a column-major block of rows, on the engine's
/// own kernel for wide data (`scilearn_gram_upper`: 8 × 6 register tiles over rows packed 128
/// at a time) where the CPU has AVX2 + FMA, else on `dsyrk`.
///
/// At p = 500 (the protocol's W5) OpenBLAS 0.3.21's `dsyrk` runs at 30-37 GFLOP/s a core on
/// this project's machine, below its own `dgemm` rate; the kernel runs its tiles near the FMA
/// units' peak and loses a few percent to packing (`Docs/benchmarks.md`, "PCA's Gram kernel").
/// Up to ``narrowWidth`` columns `dsyrk` is kept here: narrow blocks of this shape are
/// CholeskyQR's second pass, whose figures were measured with it (the plain narrow Gram product
/// has its own row-major kernel, ``TallRows/crossProduct()``).
enum WideGram {
    /// The widest blocks left to `dsyrk` (and, row-major, to the narrow kernel).
    static let narrowWidth = 128

    /// Whether p columns take the engine's kernel: by the CPU's features, not the tests' cap
    /// on the code path (the kernel's scalar and AVX2 paths give the same bits; `dsyrk` others).
    static func usesKernel(columns p: Int) -> Bool {
        p > narrowWidth && scilearn_kernel_detected() >= 1
    }

    /// The work space ``accumulateUpper(_:lda:rows:columns:into:ldc:work:sums:)`` needs for p
    /// columns (empty when `dsyrk` runs).
    static func workspace(columns p: Int) -> [Double] {
        usesKernel(columns: p) ? [Double](repeating: 0, count: scilearn_gram_upper_work(p)) : []
    }

    /// `C += AᵀA` on and above the diagonal for the m × p column-major `a` (leading dimension
    /// `lda`) into the p × p column-major `c` (leading dimension `ldc`); entries below the
    /// diagonal may change too (callers mirror the upper triangle). `work` comes from
    /// ``workspace(columns:)``. With `sums` (2·p doubles, only where ``usesKernel(columns:)``),
    /// each column's sum is added to it as a double-double (high, low) from the same pass.
    ///
    /// - Complexity: m·p² flops.
    static func accumulateUpper(_ a: UnsafePointer<Double>, lda: Int, rows m: Int, columns p: Int,
                                into c: UnsafeMutablePointer<Double>, ldc: Int, work: inout [Double],
                                sums: UnsafeMutablePointer<Double>? = nil) {
        if m == 0 || p == 0 { return }
        if usesKernel(columns: p) && work.count >= scilearn_gram_upper_work(p) {
            work.withUnsafeMutableBufferPointer { w in scilearn_gram_upper(a, lda, m, p, c, ldc, w.baseAddress!, sums) }
        } else {
            precondition(sums == nil, "column sums come with the engine's kernel only")
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(m), 1.0, a, Int32(lda), 1.0, c, Int32(ldc))
        }
    }
}
