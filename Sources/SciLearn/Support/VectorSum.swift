/// Sums of contiguous doubles (less a shift) with four SIMD accumulators (sixteen partial
/// sums): vectorised, and with the rounding error of a 16-way split rather than a running sum.
enum VectorSum {
    /// Σ p[i] over `0..<n`.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Double>, _ n: Int, minus shift: Double = 0) -> Double {
        var a = SIMD4<Double>(repeating: 0), b = a, c = a, d = a
        let s4 = SIMD4<Double>(repeating: shift)
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i + 16 <= n {
            a += raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self) - s4
            b += raw.loadUnaligned(fromByteOffset: (i + 4) * 8, as: SIMD4<Double>.self) - s4
            c += raw.loadUnaligned(fromByteOffset: (i + 8) * 8, as: SIMD4<Double>.self) - s4
            d += raw.loadUnaligned(fromByteOffset: (i + 12) * 8, as: SIMD4<Double>.self) - s4
            i += 16
        }
        var s = ((a + b) + (c + d)).sum()
        while i < n { s += p[i] - shift; i += 1 }
        return s
    }
}
