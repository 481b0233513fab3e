/// The Wilcoxon signed-rank test of one sample or of paired differences (matches scipy.stats
/// `wilcoxon`): the rank sum r⁺ of the positive differences among the ranked |d|, zeros
/// dropped (`wilcox`), ranked then dropped (`pratt`) or split between the signs (`zsplit`); the
/// exact null distribution without ties or zeros, scipy's exact enumeration of all 2ⁿ sign flips
/// for n ≤ 13 with them, and the tie- and zero-corrected normal approximation otherwise.
///
/// - Complexity: O(n log n) for the ranks; the exact distribution O(n³); the enumeration O(2ⁿ·n).
public struct WilcoxonSignedRank: Sendable, Hashable, Codable {
    /// How zero differences are treated.
    public enum ZeroMethod: String, Sendable, Hashable, Codable, CaseIterable {
        /// Dropped before ranking (Wilcoxon's).
        case wilcox
        /// Ranked with the others, then dropped from r⁺ and the approximation (Pratt's).
        case pratt
        /// Ranked, half their rank sum given to each sign.
        case zsplit
    }

    /// How the p value is computed.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// scipy's rule: asymptotic above 50 differences; exact without ties or zeros; the sign-flip
        /// enumeration for at most 13 with them; asymptotic beyond.
        case auto
        /// The exact null distribution (of untied, non-zero differences).
        case exact
        /// The normal approximation.
        case asymptotic
    }

    /// The alternative: `greater` is that the differences lie above zero.
    public var alternative: Alternative
    /// The treatment of zero differences.
    public var zeroMethod: ZeroMethod
    /// The continuity correction of the normal approximation.
    public var correction: Bool
    /// The method.
    public var method: Method

    /// A test against `alternative`.
    public init(alternative: Alternative = .twoSided, zeroMethod: ZeroMethod = .wilcox, correction: Bool = false, method: Method = .auto) {
        self.alternative = alternative
        self.zeroMethod = zeroMethod
        self.correction = correction
        self.method = method
    }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// min(r⁺, r⁻) for two-sided, r⁺ otherwise.
        public var statistic: Double
        /// The p value; nil when the approximation has no variance (see ``warnings``).
        public var pValue: Double?
        /// Why a field is null.
        public var warnings: [String]
    }

    /// The most differences the sign-flip enumeration runs for (2¹³ patterns).
    static let enumerationLimit = 13

    /// The test of `a` (one sample) or of `a − b` (paired).
    public func test(_ a: [Double], _ b: [Double]? = nil) throws(SciLearnError) -> Result {
        guard !a.isEmpty else { throw .invalidData("a", "is empty; the test needs at least one value") }
        if let b, b.count != a.count {
            throw .invalidData("b", "has \(b.count) values but a has \(a.count); paired samples must have the same length")
        }
        for (name, v) in [("a", a), ("b", b ?? [])] {
            if let i = v.firstIndex(where: { !$0.isFinite }) { throw .invalidData("\(name)[\(i)]", "must be a finite number; got \(v[i])") }
        }
        let d = b.map { b in zip(a, b).map { $0 - $1 } } ?? a
        let zeros = d.filter { $0 == 0 }.count
        let kept = zeroMethod == .wilcox ? d.filter { $0 != 0 } : d
        let count = Double(kept.count)
        let ranks = Ranks(kept.map { abs($0) })
        var rPlus = 0.0, rMinus = 0.0, rZero = 0.0
        for (k, v) in kept.enumerated() {
            if v > 0 { rPlus += ranks.ranks[k] } else if v < 0 { rMinus += ranks.ranks[k] } else { rZero += ranks.ranks[k] }
        }
        if zeroMethod == .zsplit { rPlus += rZero / 2; rMinus += rZero / 2 }
        let statistic = alternative == .twoSided ? Swift.min(rPlus, rMinus) : rPlus
        let hasTies = !ranks.tieSizes.isEmpty
        var chosen = method
        if chosen == .auto {
            chosen = d.count > 50 ? .asymptotic : (!hasTies && zeros == 0) ? .exact : d.count <= Self.enumerationLimit ? .auto : .asymptotic
        }
        switch chosen {
        case .exact:
            return Result(statistic: statistic, pValue: exactPValue(rPlus, n: kept.count), warnings: [])
        case .auto:
            return Result(statistic: statistic, pValue: enumeratedPValue(kept, ranks: ranks.ranks, observed: rPlus), warnings: [])
        case .asymptotic:
            var mn = count * (count + 1) * 0.25
            var se = count * (count + 1) * (2 * count + 1)
            var tie = ranks.tieTerm
            if zeroMethod == .pratt && zeros > 0 {
                let nz = Double(zeros)
                mn -= nz * (nz + 1) * 0.25
                se -= nz * (nz + 1) * (2 * nz + 1)
                // The zeros' own tie group is left out of the correction.
                let t = nz
                if t > 1 { tie -= t * t * t - t }
            }
            se = ((se - tie / 2) / 24).squareRoot()
            guard se > 0 else {
                return Result(statistic: statistic, pValue: nil,
                              warnings: [UndefinedValue.undefined(["p_value"], "no non-zero difference is left, so the normal approximation has no variance")])
            }
            var z = (rPlus - mn) / se
            if correction {
                let sign: Double = switch alternative {
                case .greater: 1
                case .less: -1
                case .twoSided: z > 0 ? 1 : z < 0 ? -1 : 0
                }
                z -= sign * 0.5 / se
            }
            return Result(statistic: statistic, pValue: alternative.pValue(lower: StandardNormal.cdf(z), upper: StandardNormal.sf(z)), warnings: [])
        }
    }

    /// scipy's exact p value: the null distribution of r⁺ for n differences by the halving
    /// recursion, its tails summed in numpy's order, each from the side scipy takes.
    func exactPValue(_ rPlus: Double, n: Int) -> Double {
        var c: [Double] = [1]
        if n >= 1 {
            for k in 1...n {
                let m = c.count
                var next = [Double](repeating: 0, count: k * (k + 1) / 2 + 1)
                for i in 0..<m { next[i] = c[i] * 0.5 }
                for i in 0..<m { next[next.count - m + i] += c[i] * 0.5 }
                c = next
            }
        }
        let mean = Double(n) * Double(n + 1) / 4
        // Slices summed in place (no copies of the n²/2 probabilities).
        func head(_ k: Int) -> Double {
            k < 0 ? 0 : c.withUnsafeBufferPointer { PairwiseSum.sum(UnsafeBufferPointer(rebasing: $0[0...Swift.min(k, c.count - 1)])) }
        }
        func tail(_ k: Int) -> Double {
            k >= c.count ? 0 : c.withUnsafeBufferPointer { PairwiseSum.sum(UnsafeBufferPointer(rebasing: $0[Swift.max(0, k)...])) }
        }
        func cdf(_ k: Int) -> Double { Double(k) <= mean ? head(k) : 1 - tail(k + 1) }
        func sf(_ k: Int) -> Double { Double(k) <= mean ? tail(k) : 1 - head(k - 1) }
        let up = Int(rPlus.rounded(.up)), down = Int(rPlus.rounded(.down))
        return Swift.max(0, alternative.pValue(lower: cdf(up), upper: sf(down)))
    }

    /// scipy's exact permutation test: r⁺ under every one of the 2ⁿ sign flips (zeros flip to
    /// themselves), counted within a relative 100ε of the observed value.
    func enumeratedPValue(_ d: [Double], ranks: [Double], observed: Double) -> Double {
        let n = d.count
        let gamma = abs(100 * Double.ulpOfOne * observed)
        let zeroHalf = zeroMethod == .zsplit ? (0..<n).filter { d[$0] == 0 }.reduce(0.0) { $0 + ranks[$1] } / 2 : 0
        var atMost = 0, atLeast = 0
        let patterns = 1 << n
        for mask in 0..<patterns {
            var r = zeroHalf
            for i in 0..<n where d[i] != 0 {
                // Bit set: the sign of d[i] flipped.
                let positive = (d[i] > 0) != (mask & (1 << i) != 0)
                if positive { r += ranks[i] }
            }
            if r <= observed + gamma { atMost += 1 }
            if r >= observed - gamma { atLeast += 1 }
        }
        return alternative.pValue(lower: Double(atMost) / Double(patterns), upper: Double(atLeast) / Double(patterns))
    }
}
