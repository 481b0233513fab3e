#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension KolmogorovDistribution {
    /// P(Dₙ < d) by Pomeranz's recursion (1974) as Simard and L'Ecuyer arrange it: 2n + 1 steps,
    /// each a short convolution of the previous row with the powers (g/n)ʲ/j!, (2g/n)ʲ/j! or
    /// ((1 − 2g)/n)ʲ/j!, g the distance of nd from the nearest integer; rows are rescaled by 2¹²⁸
    /// with the exponent carried apart.
    ///
    /// - Complexity: O(n · (nd)²).
    func pomeranzCDF(_ d: Double) -> Double {
        let nn = Double(n)
        let t = nn * d
        let whole = Int(t.rounded(.down))
        let f = t - Double(whole)
        let g = Swift.min(f, 1 - f)
        let ceilF = f > 0 ? 1 : 0, roundF = f > 0.5 ? 1 : 0
        let width = 2 * (whole + 1)
        var gPowers = [Double](repeating: 1, count: width)
        var twoGPowers = [Double](repeating: 1, count: width)
        var restPowers = [Double](repeating: 1, count: width)
        for j in 1..<width {
            gPowers[j] = gPowers[j - 1] * (g / nn) / Double(j)
            twoGPowers[j] = twoGPowers[j - 1] * (2 * g / nn) / Double(j)
            restPowers[j] = restPowers[j - 1] * ((1 - 2 * g) / nn) / Double(j)
        }
        /// The columns [first, last] row i of the recursion spans.
        func span(_ i: Int) -> (first: Int, last: Int) {
            var lo: Int, hi: Int
            if i == 0 {
                (lo, hi) = (-whole - ceilF - 1, whole + ceilF - 1)
            } else {
                let half = (i + 1) / 2
                if (i + 1) % 2 == 0 {
                    (lo, hi) = half == n + 1 ? (n - whole - ceilF - 1, n + whole + ceilF - 1)
                                             : (half - 1 - whole - roundF - 1, half + whole - 1 + ceilF - 1)
                } else {
                    (lo, hi) = (half - 1 - whole - 1, half + whole + roundF - 1)
                }
            }
            return (Swift.max(lo + 2, 0), Swift.min(hi, n))
        }
        let big = 0x1p128, small = 0x1p-128
        var previous = [Double](repeating: 0, count: width)
        var current = [Double](repeating: 0, count: width)
        current[0] = 1
        var previousStart = 0, currentStart = 0   // the column of each row's entry 0
        var exponent = 0
        var (first, last) = span(0)
        for i in 1...(2 * n + 1) {
            let k1 = first
            swap(&previous, &current)
            previousStart = currentStart
            for j in current.indices { current[j] = 0 }
            (first, last) = span(i)
            let powers = i == 1 || i == 2 * n + 1 ? gPowers : (i % 2 == 1 ? twoGPowers : restPowers)
            let length = last - k1 + 1
            guard length > 0 else { continue }
            // current[c] = Σ_s previous[k1 − previousStart + s] · powers[r − s], r = first − k1 + c.
            let offset = k1 - previousStart
            var largest = 0.0
            for c in stride(from: 0, through: Swift.min(last - first, width - 1), by: 1) {
                let r = first - k1 + c
                var acc = 0.0
                if r >= 0 {
                    for s in 0...r where offset + s >= 0 && offset + s < width && r - s < width {
                        acc += previous[offset + s] * powers[r - s]
                    }
                }
                current[c] = acc
                largest = Swift.max(largest, acc)
            }
            if largest > 0 && largest < small {
                for j in current.indices { current[j] *= big }
                exponent -= 128
            }
            currentStart = previousStart + first - k1
        }
        var answer = (0..<width).contains(n - currentStart) ? current[n - currentStart] : 0
        for j in 1...n {
            if abs(answer) > big {
                answer *= small
                exponent += 128
            }
            answer *= Double(j)
        }
        return Self.clip(scalbn(answer, exponent))
    }
}
