import Benchmark
import SciLearn

/// OLS fit with intercept at 100,000 × 50 and 1,000,000 × 50 (package-benchmark).
/// Run with `swift package benchmark` in Benchmarks/.
nonisolated(unsafe) let benchmarks: @Sendable () -> Void = {
    for n in [100_000, 1_000_000] {
        let p = 50
        let (x, y) = syntheticRegression(rows: n, columns: p)
        Benchmark("OLS fit \(n)x\(p)",
                  configuration: .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                       maxDuration: .seconds(20), maxIterations: n > 500_000 ? 10 : 30)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try LinearRegression().fit(x, y))
            }
        }
    }
}

/// A deterministic regression problem: X from a linear congruential generator, y = X·b + noise.
func syntheticRegression(rows n: Int, columns p: Int) -> (Matrix, [Double]) {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53) - 0.5
    }
    var storage = [Double](repeating: 0, count: n * p)
    for k in 0..<(n * p) { storage[k] = next() }
    let x = Matrix(rows: n, columns: p, columnMajor: storage)
    var y = [Double](repeating: 1.5, count: n)
    for j in 0..<p { for i in 0..<n { y[i] += x[i, j] * Double(j % 7 - 3) } }
    for i in 0..<n { y[i] += 0.1 * next() }
    return (x, y)
}
