#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact null distribution of the two-sample Kolmogorov-Smirnov statistic (matches
/// scipy.stats `ks_2samp(method="exact")`): the share of the C(m + n, m) equally likely
/// lattice paths from (0, 0) to (m, n), one step per pooled value, that reach the line(s)
/// |x/m − y/n| = h/lcm(m, n).
///
/// Every method carries probabilities, never path counts, so none overflows:
/// - equal sizes: the reflection formulas (Hodges), evaluated in scipy's order of operations,
///   two-sided as 2A₀(1 − A₁(1 − A₂(…))), one-sided as ∏ (n − j)/(n + j + 1);
/// - unequal sizes: the probability that a path has left the band, column by column,
///   Q(i, j) = (i·Q(i − 1, j) + j·Q(i, j − 1))/(i + j) with Q = 1 outside (Viehmann 2021),
///   restricted to the band's window in each column.
public enum SmirnovLatticePaths {
    /// The work of ``twoSided(_:_:h:)`` and ``oneSided(_:_:h:)`` at these sizes, in the flops the
    /// service's limits count: up to m·(n + 1) cells (n + m for equal sizes), each a dependent
    /// scalar step charged as 25 flops.
    public static func work(_ m: Int, _ n: Int) -> Double {
        if m == n { return 25 * 4 * Double(m + 1) }
        return 25 * 4 * Double(max(m, n)) * Double(min(m, n) + 1)
    }

    /// P(D ≥ h/lcm) for the two-sided statistic of samples of sizes `m` and `n` (scipy's value,
    /// which for equal sizes and h = 1 can exceed 1 by an ulp; the caller decides).
    public static func twoSided(_ m: Int, _ n: Int, h: Int) -> Double {
        precondition(m >= 1 && n >= 1 && h >= 1, "SmirnovLatticePaths requires two non-empty samples and h >= 1")
        if m == n {
            // 2 Σ_k (−1)^k C(2n, n − kh)/C(2n, n) by Horner, each ratio a product of h factors.
            var total = 0.0
            var k = n / h
            while k >= 0 {
                var ratio = 1.0
                for j in 0..<h { ratio = Double(n - k * h - j) * ratio / Double(n + k * h + j + 1) }
                total = ratio * (1.0 - total)
                k -= 1
            }
            return 2 * total
        }
        return outsideBand(m, n, h: h, twoSided: true)
    }

    /// P(D⁺ ≥ h/lcm) (equally D⁻) for samples of sizes `m` and `n`.
    public static func oneSided(_ m: Int, _ n: Int, h: Int) -> Double {
        precondition(m >= 1 && n >= 1 && h >= 1, "SmirnovLatticePaths requires two non-empty samples and h >= 1")
        if m == n {
            var product = 1.0
            for j in 0..<min(h, n + 1) { product *= Double(n - j) / (Double(n + j) + 1.0) }
            return product
        }
        return outsideBand(m, n, h: h, twoSided: false)
    }

    /// Whether scipy's one-sided count for unequal sizes stays within doubles: it counts paths,
    /// and falls back to the asymptotic method once C(m + n, m) exceeds the largest double.
    public static func oneSidedCountFits(_ m: Int, _ n: Int) -> Bool {
        if m == n { return true }
        let logBinomial = lgamma(Double(m + n) + 1) - lgamma(Double(m) + 1) - lgamma(Double(n) + 1)
        return logBinomial < log(Double.greatestFiniteMagnitude)
    }

    /// The share of paths reaching ng·x − mg·y ≥ h (and, two-sided, ≤ −h), m ≥ n after a swap
    /// (the probability is symmetric), with mg = m/g, ng = n/g.
    private static func outsideBand(_ m0: Int, _ n0: Int, h: Int, twoSided: Bool) -> Double {
        let (m, n) = m0 >= n0 ? (m0, n0) : (n0, m0)
        let g = gcd(m, n)
        let mg = m / g, ng = n / g
        // Column i holds Q(i, j) for j in [low, high); cells below low (and, two-sided, from high
        // on) are outside the band, where Q = 1. Windows only move up, so entries above the
        // current window have never been written and still hold 1.
        var q = [Double](repeating: 1, count: n + 1)
        var low = 0
        var high = twoSided ? min((h + mg - 1) / mg, n + 1) : n + 1
        for j in 0..<high { q[j] = 0 }
        for i in 1...m {
            low = min(max(floorDivide(ng * i - h, mg) + 1, 0), n)
            high = twoSided ? min(ceilDivide(ng * i + h, mg), n + 1) : n + 1
            if high <= low { return 1 }
            var below = low == 0 ? 0.0 : 1.0
            let di = Double(i)
            for j in low..<high {
                let v = (q[j] * di + below * Double(j)) / (di + Double(j))
                q[j] = v
                below = v
            }
        }
        return q[n]
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func ceilDivide(_ a: Int, _ b: Int) -> Int { -floorDivide(-a, b) }
}
