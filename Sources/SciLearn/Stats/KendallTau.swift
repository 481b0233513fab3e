#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kendall's τ-b with its test (matches scipy.stats `kendalltau`, method "auto"): the
/// concordant minus discordant pairs counted in O(n log n) (a sort and a Fenwick tree over the
/// ranks of y), divided by √((n₀ − n₁)(n₀ − n₂)) for the ties; the exact p value of Kendall's
/// recursion without ties for n ≤ 33 (or one discordance from the extremes), the tie-corrected
/// normal approximation otherwise.
///
/// - Complexity: O(n log n); the exact p value O(n·min(c, n₀ − c)).
public struct KendallTau: Sendable, Hashable, Codable {
    /// The alternative: `greater` is a positive association.
    public var alternative: Alternative

    /// A test against `alternative`.
    public init(alternative: Alternative = .twoSided) { self.alternative = alternative }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// τ-b; nil when x or y is constant.
        public var statistic: Double?
        /// The p value; nil when undefined.
        public var pValue: Double?
        /// Why a field is null.
        public var warnings: [String]
    }

    /// Dense ranks (1, 2, …) of `v`, ties sharing one.
    static func denseRanks(_ v: [Double]) -> [Int] {
        let order = (0..<v.count).sorted { v[$0] < v[$1] }
        var out = [Int](repeating: 0, count: v.count)
        var rank = 0
        for (k, i) in order.enumerated() {
            if k == 0 || v[i] != v[order[k - 1]] { rank += 1 }
            out[i] = rank
        }
        return out
    }

    /// Σ t(t − 1)/2, Σ t(t − 1)(t − 2), Σ t(t − 1)(2t + 5) over the tie groups of dense ranks.
    static func tieSums(_ ranks: [Int]) -> (pairs: Double, x0: Double, x1: Double) {
        var counts = [Int](repeating: 0, count: (ranks.max() ?? 0) + 1)
        for r in ranks { counts[r] += 1 }
        var pairs = 0.0, x0 = 0.0, x1 = 0.0
        for c in counts where c > 1 {
            let t = Double(c)
            pairs += t * (t - 1) / 2; x0 += t * (t - 1) * (t - 2); x1 += t * (t - 1) * (2 * t + 5)
        }
        return (pairs, x0, x1)
    }

    /// The test of paired samples `x` and `y` (at least 2 pairs).
    public func test(_ x: [Double], _ y: [Double]) throws(SciLearnError) -> Result {
        guard x.count == y.count else { throw .invalidData("y", "has \(y.count) values but x has \(x.count); the samples must be paired") }
        guard x.count >= 2 else { throw .invalidData("x", "has \(x.count) value\(x.count == 1 ? "" : "s"); the test needs at least 2 pairs") }
        for (name, v) in [("x", x), ("y", y)] {
            if let i = v.firstIndex(where: { !$0.isFinite }) { throw .invalidData("\(name)[\(i)]", "must be a finite number; got \(v[i])") }
        }
        let n = x.count
        let rx = Self.denseRanks(x), ry = Self.denseRanks(y)
        let xt = Self.tieSums(rx), yt = Self.tieSums(ry)
        let total = Double(n) * Double(n - 1) / 2
        if xt.pairs == total || yt.pairs == total {
            let which = UndefinedValue.constantPair(x: xt.pairs == total, y: yt.pairs == total)
            return Result(statistic: nil, pValue: nil, warnings: [UndefinedValue.undefined(["statistic", "p_value"], "\(which), so τ is 0/0")])
        }
        // Sorted by x then y; discordant pairs: an earlier, strictly smaller x with a strictly
        // larger y, counted with a Fenwick tree over y's ranks, each x group queried before it is
        // inserted. Joint ties: runs of equal (x, y).
        let order = (0..<n).sorted { rx[$0] < rx[$1] || (rx[$0] == rx[$1] && ry[$0] < ry[$1]) }
        let maxY = ry.max()!
        var tree = [Int](repeating: 0, count: maxY + 1)
        var inserted = 0
        var discordant = 0.0, jointTies = 0.0
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && rx[order[end]] == rx[order[start]] { end += 1 }
            for k in start..<end {
                var atMost = 0, r = ry[order[k]]
                while r > 0 { atMost += tree[r]; r -= r & -r }
                discordant += Double(inserted - atMost)
            }
            for k in start..<end {
                var r = ry[order[k]]
                while r <= maxY { tree[r] += 1; r += r & -r }
            }
            inserted += end - start
            var k = start
            while k < end {
                var j = k + 1
                while j < end && ry[order[j]] == ry[order[k]] { j += 1 }
                let t = Double(j - k)
                jointTies += t * (t - 1) / 2
                k = j
            }
            start = end
        }
        let conMinusDis = total - xt.pairs - yt.pairs + jointTies - 2 * discordant
        let tau = Swift.max(-1, Swift.min(1, conMinusDis / (total - xt.pairs).squareRoot() / (total - yt.pairs).squareRoot()))
        let noTies = xt.pairs == 0 && yt.pairs == 0
        let p: Double
        if noTies && (n <= 33 || Swift.min(discordant, total - discordant) <= 1) {
            p = Self.exactPValue(n: n, c: total - discordant, alternative)
        } else {
            let m = Double(n) * Double(n - 1)
            let nn = Double(n)
            let variance = (m * (2 * nn + 5) - xt.x1 - yt.x1) / 18 + (2 * xt.pairs * yt.pairs) / m + xt.x0 * yt.x0 / (9 * m * (nn - 2))
            let z = conMinusDis / variance.squareRoot()
            p = alternative.pValue(lower: StandardNormal.cdf(z), upper: StandardNormal.sf(z))
        }
        return Result(statistic: tau, pValue: p, warnings: [])
    }

    /// Kendall's exact p value for n pairs without ties and c concordant pairs (scipy's
    /// `_kendall_p_exact`): the Mahonian numbers by the cumulative-sum recursion.
    static func exactPValue(n: Int, c concordant: Double, _ alternative: Alternative) -> Double {
        let half = n * (n - 1) / 2
        let cc = Int(concordant)
        let inRightTail = cc >= half - cc
        let c = Swift.min(cc, half - cc)
        var prob: Double
        var massAtC = 0.0
        func factorial(_ k: Int) -> Double { k <= 1 ? 1 : (2...k).reduce(1.0) { $0 * Double($1) } }
        if n == 1 {
            prob = 1; massAtC = 1
        } else if n == 2 {
            prob = 1; massAtC = 0.5
        } else if c == 0 {
            prob = n < 171 ? 2 / factorial(n) : 0; massAtC = prob / 2
        } else if c == 1 {
            prob = n < 172 ? 2 / factorial(n - 1) : 0; massAtC = n < 171 ? Double(n - 1) / factorial(n) : 0
        } else if 4 * c == n * (n - 1) && alternative == .twoSided {
            prob = 1
        } else {
            var counts = [Double](repeating: 0, count: c + 1)
            counts[0] = 1; counts[1] = 1
            for j in 3...n {
                var running = 0.0
                for k in 0...c { running += counts[k]; counts[k] = n < 171 ? running : running / Double(j) }
                if j <= c {
                    for k in stride(from: c, through: j, by: -1) { counts[k] -= counts[k - j] }
                }
            }
            let sum = counts.reduce(0, +)
            if n < 171 {
                let f = factorial(n)
                prob = 2 * sum / f; massAtC = counts[c] / f
            } else {
                prob = sum; massAtC = counts[c] / 2
            }
        }
        if alternative != .twoSided {
            if inRightTail == (alternative == .greater) { prob /= 2 } else { prob = 1 - prob / 2 + massAtC }
        }
        return Swift.max(0, Swift.min(1, prob))
    }
}
