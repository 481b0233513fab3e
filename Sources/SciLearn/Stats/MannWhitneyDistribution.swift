/// The exact null distribution of the Mann-Whitney U statistic for samples of sizes m and n
/// without ties: P(U ≤ u) from the counts of the Gaussian binomial coefficient
/// ∏ᵢ (1 − q^(n+i)) / (1 − q^i), i = 1 … m, truncated at degree u (matches scipy.stats
/// `mannwhitneyu(method="exact")`).
///
/// The counts are exact integers while C(m + n, m) < 2⁶² (ring arithmetic modulo 2⁶⁴ on the way,
/// exact at the end), doubles beyond.
///
/// - Complexity: O(min(m, n) · u).
public struct MannWhitneyDistribution: Sendable, Hashable {
    /// The two sample sizes.
    public let m: Int, n: Int

    /// The distribution for samples of sizes `m` and `n` (at least one each).
    public init(m: Int, n: Int) {
        precondition(m >= 1 && n >= 1, "MannWhitneyDistribution requires two non-empty samples")
        self.m = min(m, n)
        self.n = max(m, n)
    }

    /// The work of ``cdf(_:)``, in the flops the service's limits count: its coefficient
    /// updates (three per coefficient and step, at most m·n/2 coefficients, m steps), each a
    /// dependent scalar step charged as 25 BLAS flops.
    public static func work(m: Int, n: Int) -> Double {
        let small = Double(min(m, n))
        return 25 * 3 * small * (small * Double(max(m, n)) / 2 + 1)
    }

    /// P(U ≤ u); u is floored to an integer (U takes whole values without ties).
    public func cdf(_ u: Double) -> Double {
        let mn = Double(m) * Double(n)
        if u < 0 { return 0 }
        if u >= mn { return 1 }
        // The smaller tail directly: P(U ≤ u) = 1 − P(U ≤ mn − u − 1) by symmetry.
        let k = Int(u.rounded(.down))
        if Double(k) > mn / 2 { return 1 - cdf(mn - Double(k) - 1) }
        var total = 1.0
        for i in 1...m { total *= Double(n + i) / Double(i) }
        if total < 0x1p62 {
            var c = [Int64](repeating: 0, count: k + 1)
            c[0] = 1
            for i in 1...m {
                let shift = n + i
                if shift <= k { for j in stride(from: k, through: shift, by: -1) { c[j] = c[j] &- c[j - shift] } }
                if i <= k { for j in i...k { c[j] = c[j] &+ c[j - i] } }
            }
            // C(n + i, i) = C(n + i − 1, i − 1)·(n + i)/i, exactly (the product in 128 bits).
            var exactTotal: UInt64 = 1
            for i in 1...m {
                let wide = exactTotal.multipliedFullWidth(by: UInt64(n + i))
                exactTotal = UInt64(i).dividingFullWidth(wide).quotient
            }
            var sum: UInt64 = 0
            for v in c { sum &+= UInt64(bitPattern: v) }
            return Double(sum) / Double(exactTotal)
        }
        // Beyond 2⁶²: the same steps in doubles, each followed by the factor i/(n + i), so that
        // after step i the coefficients are the probabilities of sizes (i, n): they stay
        // between 0 and 1 and the subtractions never cancel more than a step's worth (dividing
        // first and subtracting last lost every digit at 100 × 100).
        var c = [Double](repeating: 0, count: k + 1)
        c[0] = 1
        for i in 1...m {
            let shift = n + i
            if shift <= k { for j in stride(from: k, through: shift, by: -1) { c[j] -= c[j - shift] } }
            if i <= k { for j in i...k { c[j] += c[j - i] } }
            let scale = Double(i) / Double(n + i)
            for j in 0...k { c[j] *= scale }
        }
        var sum = 0.0
        for v in c { sum += v }
        return Swift.max(0, Swift.min(1, sum))
    }
}
