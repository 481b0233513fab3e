#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distribution of the one-sided Kolmogorov-Smirnov statistic D⁺ₙ (equally D⁻ₙ) of n values
/// (matches scipy.stats `ksone` and scipy.special `smirnov`).
///
/// P(D⁺ₙ ≥ d) is the Birnbaum-Tingey sum d · Σ_{v ≤ n(1−d)} C(n, v) (1 − d − v/n)^(n−v) (d + v/n)^(v−1),
/// whose terms are all positive: each is formed in double-double with its binary exponent carried
/// apart (the binomial coefficient updated by exact ratios, the powers by the C library's `pow`
/// corrected for the base's low part, or by squaring in double-double where they would
/// underflow), so the tail keeps its relative accuracy to 1e-300. scipy's closed forms for
/// d ≤ 1/n and d ≥ 1 − 1/n, its zero beyond e^−745 and its approximation
/// e^(−(6nd + 1)²/(18n)) for n > 10⁶ are kept. Where scipy sums the upper terms instead
/// (n ≥ 10, d ≤ 0.5/√n, p near 1) the two agree to about 1e-16 absolute, not bit for bit.
///
/// - Complexity: O(n) terms at most (fewer once they stop contributing).
public struct SmirnovDistribution: Sendable, Hashable {
    /// The number of values, at least 1.
    public let n: Int

    /// The distribution of D⁺ for `n` values.
    public init(n: Int) {
        precondition(n >= 1, "SmirnovDistribution requires n >= 1")
        self.n = n
    }

    /// Above this many values the sum gives way to scipy's approximation.
    static let largestExactN = 1_000_000

    /// The work of ``sf(_:)`` in the flops the service's limits count: at most n terms, each
    /// about forty dependent scalar steps charged as 25 flops.
    public static func work(n: Int) -> Double { 1000 * Double(min(n, largestExactN) + 1) }

    /// P(D⁺ₙ ≥ d): 1 for d ≤ 0, 0 for d ≥ 1.
    public func sf(_ d: Double) -> Double {
        if d.isNaN { return .nan }
        if d <= 0 { return 1 }
        if d >= 1 { return 0 }
        if n == 1 { return 1 - d }
        let nd = DoubleDouble.twoProduct(Double(n), d)
        // ⌊n·d⌋ and its fractional part, exactly.
        var whole = nd.hi.rounded(.down)
        if whole == nd.hi && nd.lo < 0 { whole -= 1 }
        var fraction = (nd.hi - whole) + nd.lo
        if fraction >= 1 { whole += 1; fraction = 0 }
        let floorND = Int(whole)
        if floorND == 0 || (floorND == 1 && fraction == 0) {
            // d ≤ 1/n: P(D⁺ < d) = d (1 + d)^(n−1).
            let (m, e) = Self.power(DoubleDouble.twoSum(1, d), n - 1)
            return Swift.max(0, Swift.min(1, 1 - scalbn(m * d, e)))
        }
        if -2 * Double(n) * d * d < -745.13321910194122 { return 0 }
        if floorND >= n - 1 {
            // d ≥ 1 − 1/n: (1 − d)^n.
            let (m, e) = Self.power(DoubleDouble.twoSum(1, -d), n)
            return Swift.max(0, Swift.min(1, scalbn(m, e)))
        }
        if n > Self.largestExactN {
            let t = 6 * Double(n) * d + 1
            let logp = -(t * t) / 18 / Double(n)
            return Swift.max(0, Swift.min(1, logp < -M_LN2 ? exp(logp) : 1 + expm1(logp)))
        }
        return Swift.max(0, Swift.min(1, lowerSum(d, nd: nd, lastTerm: n - floorND - 1)))
    }

    /// (1 − d)^n + d Σ_{v=1}^{lastTerm} C(n, v) (1 − d − v/n)^(n−v) (d + v/n)^(v−1), stopped once
    /// the remaining terms cannot reach the sum's last bit (scipy's rule).
    private func lowerSum(_ d: Double, nd: DoubleDouble, lastTerm: Int) -> Double {
        let nn = Double(n)
        let (m0, e0) = Self.power(DoubleDouble.twoSum(1, -d), n)
        let head = scalbn(m0, e0)
        var sum = DoubleDouble(0)
        var binomial = DoubleDouble(1), binomialExponent = 0   // C(n, v) = binomial · 2^binomialExponent
        let middle = n / 2
        var v = 1
        while v <= lastTerm {
            let ratio = DoubleDouble(Double(n - v + 1)) / Double(v)
            binomial = binomial * ratio
            Self.normalise(&binomial, &binomialExponent)
            let below = (DoubleDouble(Double(n - v)) + (-nd)) / nn    // 1 − d − v/n
            let above = (nd + Double(v)) / nn                           // d + v/n
            let (m1, e1) = Self.power(below, n - v)
            let (m2, e2) = Self.power(above, v - 1)
            let term = scalbn(binomial.hi * m1 * m2, binomialExponent + e1 + e2)
            if term.isFinite && term > 0 { sum = sum + term }
            let total = head / d + sum.value
            if term > 0 {
                if 4 * Double(lastTerm - v + 1) * term < Double.ulpOfOne * total && v != lastTerm { break }
            } else if v > middle {
                break
            }
            v += 1
        }
        return head + d * sum.value
    }

    /// Moves `x`'s binary exponent into `exponent`, leaving `x.hi` in [1, 2).
    @inline(__always)
    private static func normalise(_ x: inout DoubleDouble, _ exponent: inout Int) {
        guard x.hi != 0 && x.hi.isFinite else { return }
        let e = Int(x.hi.exponent)
        x = x.scaled(-e)
        exponent += e
    }

    /// aᵐ for a > 0 as `mantissa · 2^exponent` with the mantissa in [1, 2), to a few ulps: the C library's `pow` of the
    /// high part, corrected to first order for the low part (m·lo/hi is at most 1e-10 here),
    /// while the power stays within the double range; squaring in double-double beyond.
    static func power(_ a: DoubleDouble, _ m: Int) -> (mantissa: Double, exponent: Int) {
        if m == 0 { return (1, 0) }
        if a.hi <= 0 { return (0, 0) }
        var base = a, exponent = 0
        normalise(&base, &exponent)
        let mm = Double(m)
        if mm * log2(base.hi) < 1000 {
            let p = pow(base.hi, mm) * (1 + mm * (base.lo / base.hi))
            let e = Int(p.exponent)
            return (scalbn(p, -e), e + m * exponent)
        }
        var result = DoubleDouble(1), resultExponent = 0, baseExponent = 0
        var k = m
        while true {
            if k & 1 == 1 {
                result = result * base
                resultExponent += baseExponent
                normalise(&result, &resultExponent)
            }
            k >>= 1
            if k == 0 { break }
            base = base * base
            baseExponent *= 2
            normalise(&base, &baseExponent)
        }
        return (result.hi + result.lo, resultExponent + m * exponent)
    }
}
