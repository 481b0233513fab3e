/// numpy's pairwise summation (`np.sum` of a contiguous float64 array), reproduced exactly so
/// that a threshold computed from a sum rounds as the reference's does (statsmodels'
/// Benjamini-Yekutieli constant): runs below 8 summed in order; up to 128, eight interleaved
/// accumulators combined as ((r₀+r₁)+(r₂+r₃))+((r₄+r₅)+(r₆+r₇)) and the rest added in order;
/// above, the two halves (the first a multiple of 8) summed recursively.
enum PairwiseSum {
    static func sum(_ v: UnsafeBufferPointer<Double>) -> Double {
        let n = v.count
        if n < 8 {
            var s = -0.0
            for x in v { s += x }
            return s
        }
        if n <= 128 {
            var r = [Double](repeating: 0, count: 8)
            for k in 0..<8 { r[k] = v[k] }
            var i = 8
            while i < n - n % 8 {
                for k in 0..<8 { r[k] += v[i + k] }
                i += 8
            }
            var s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { s += v[i]; i += 1 }
            return s
        }
        var half = n / 2
        half -= half % 8
        return sum(UnsafeBufferPointer(rebasing: v[0..<half])) + sum(UnsafeBufferPointer(rebasing: v[half..<n]))
    }

    static func sum(_ v: [Double]) -> Double { v.withUnsafeBufferPointer { sum($0) } }
}
