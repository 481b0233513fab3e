#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two-sample Kolmogorov-Smirnov test (matches scipy.stats `ks_2samp`): the largest
/// distance between the two empirical distribution functions (two-sided), or the largest excess
/// of the first over the second (`greater`, D⁺) or of the second over the first (`less`, D⁻).
///
/// The p value is exact (``SmirnovLatticePaths``) when `method` is `exact`, or `auto` and neither
/// sample has more than 10,000 values; otherwise asymptotic: the two-sided statistic's finite-n
/// distribution (``KolmogorovDistribution``) at n = round(mn/(m + n)), the one-sided Hodges
/// approximation exp(−2z² − 2z(m + 2n)/(3√(mn(m + n)))), z = d√(mn/(m + n)), m the larger size.
/// As scipy, an exact p value that cannot be had (sizes whose lcm reaches 2³¹, a one-sided count
/// beyond the double range, an equal-size two-sided sum rounding above 1) falls back to the
/// asymptotic one with a warning, and the exact method reports the statistic as h/lcm(m, n).
///
/// - Complexity: a sort of each sample (both at once on two cores) and a merge; the exact method
///   O(m·n) at most.
public struct KolmogorovSmirnovTwoSample: Sendable, Hashable, Codable {
    /// How the p value is computed.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// Exact while neither sample has more than 10,000 values, else asymptotic.
        case auto
        /// The exact null distribution (of samples without ties).
        case exact
        /// The asymptotic distribution.
        case asymp
    }

    /// The alternative: `less` is that the first sample's distribution function lies below the
    /// second's somewhere (scipy's naming), `greater` above.
    public var alternative: Alternative
    /// The method.
    public var method: Method

    /// The largest sample `auto` computes exactly (scipy's `MAX_AUTO_N`).
    public static let largestAutoExact = 10_000

    /// A test against `alternative` by `method`.
    public init(alternative: Alternative = .twoSided, method: Method = .auto) {
        self.alternative = alternative
        self.method = method
    }

    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// D, D⁺ or D⁻.
        public var statistic: Double
        /// The p value; nil where the asymptotic distribution is undefined (see ``warnings``).
        public var pValue: Double?
        /// The method that gave the p value.
        public var method: Method
        /// Why a field is null, or why the exact method gave way.
        public var warnings: [String]
    }

    /// Whether the exact method is tried for samples of these sizes (the cost the service
    /// charges follows it): `auto` up to ``largestAutoExact`` values, `exact` while the lcm of
    /// the sizes stays below 2³¹ and, one-sided, while scipy's path count fits in a double.
    public func attemptsExact(_ n1: Int, _ n2: Int) -> Bool {
        switch method {
        case .asymp: return false
        case .auto: return Swift.max(n1, n2) <= Self.largestAutoExact
        case .exact:
            guard n1 >= 1 && n2 >= 1, Self.lcmFits(n1, n2) else { return false }
            return alternative == .twoSided || SmirnovLatticePaths.oneSidedCountFits(n1, n2)
        }
    }

    /// The n of the asymptotic two-sided distribution: mn/(m + n) rounded half to even, as
    /// scipy's (0 for two empty samples, which ``test(_:_:)`` refuses).
    public static func asymptoticSize(_ n1: Int, _ n2: Int) -> Int {
        let m = Double(n1), n = Double(n2)
        return m + n > 0 ? Int((m * n / (m + n)).rounded(.toNearestOrEven)) : 0
    }

    /// scipy's test before an exact calculation: lcm(n1, n2) < 2³¹ (as n1/g < INT32_MAX/(n2/g)).
    static func lcmFits(_ n1: Int, _ n2: Int) -> Bool {
        let g = SmirnovLatticePaths.gcd(n1, n2)
        return Double(n1 / g) < Double(Int32.max) / Double(n2 / g)
    }

    /// max(F₁ − F₂) and max(F₂ − F₁) over the pooled values, each F as count/size in doubles (as
    /// scipy forms them), from a sort of each sample.
    static func extremes(_ a: [Double], _ b: [Double]) throws(SciLearnError) -> (plus: Double, minus: Double) {
        let sorted = try Parallel.map(2, work: a.count + b.count) { (k: Int) -> [Double] in RadixSort.sorted(k == 0 ? a : b) }
        let x = sorted[0], y = sorted[1]
        let n1 = Double(x.count), n2 = Double(y.count)
        var i = 0, j = 0
        var largest = -Double.infinity, smallest = Double.infinity
        while i < x.count || j < y.count {
            let v = j >= y.count || (i < x.count && x[i] <= y[j]) ? x[i] : y[j]
            while i < x.count && x[i] == v { i += 1 }
            while j < y.count && y[j] == v { j += 1 }
            let difference = Double(i) / n1 - Double(j) / n2
            largest = Swift.max(largest, difference)
            smallest = Swift.min(smallest, difference)
        }
        return (largest, Swift.max(0, Swift.min(1, -smallest)))
    }

    /// The test of `a` against `b` (each at least one finite value).
    public func test(_ a: [Double], _ b: [Double]) throws(SciLearnError) -> Result {
        guard !a.isEmpty else { throw .invalidData("a", "is empty; the test needs at least one value in each sample") }
        guard !b.isEmpty else { throw .invalidData("b", "is empty; the test needs at least one value in each sample") }
        for (name, x) in [("a", a), ("b", b)] {
            if let i = x.firstIndex(where: { !$0.isFinite }) { throw .invalidData("\(name)[\(i)]", "must be a finite number; got \(x[i])") }
        }
        let (plus, minus) = try Self.extremes(a, b)
        var d = alternative == .less || (alternative == .twoSided && minus > plus) ? minus : plus
        let n1 = a.count, n2 = b.count
        let g = SmirnovLatticePaths.gcd(n1, n2)
        var warnings: [String] = []
        var chosen = method
        if chosen == .auto {
            chosen = Swift.max(n1, n2) <= Self.largestAutoExact ? .exact : .asymp
        } else if chosen == .exact && !Self.lcmFits(n1, n2) {
            chosen = .asymp
            warnings.append("method: an exact p value is not possible with sample sizes \(n1) and \(n2) (their lcm reaches 2^31); switched to \"asymp\", as scipy")
        }
        if chosen == .exact {
            let lcm = Double(n1 / g) * Double(n2)
            let h = Int((d * lcm).rounded(.toNearestOrEven))
            d = Double(h) / lcm
            if h == 0 { return Result(statistic: d, pValue: 1, method: .exact, warnings: warnings) }
            let p: Double?
            if alternative == .twoSided {
                p = SmirnovLatticePaths.twoSided(n1, n2, h: h)
            } else {
                p = SmirnovLatticePaths.oneSidedCountFits(n1, n2) ? SmirnovLatticePaths.oneSided(n1, n2, h: h) : nil
            }
            if let p, p >= 0 && p <= 1 { return Result(statistic: d, pValue: p, method: .exact, warnings: warnings) }
            chosen = .asymp
            warnings.append("method: the exact calculation was unsuccessful for sample sizes \(n1) and \(n2) (as scipy's); switched to \"asymp\"")
        }
        let m = Double(Swift.max(n1, n2)), n = Double(Swift.min(n1, n2))
        let en = m * n / (m + n)
        if alternative == .twoSided {
            let size = en.rounded(.toNearestOrEven)
            guard size >= 1 else {
                warnings.append(UndefinedValue.undefined(["p_value"], "the asymptotic distribution needs mn/(m + n) to round to at least 1; with samples of sizes \(n1) and \(n2) it is \(en)"))
                return Result(statistic: d, pValue: nil, method: .asymp, warnings: warnings)
            }
            let p = KolmogorovDistribution(n: Int(size)).sf(d)
            return Result(statistic: d, pValue: Swift.max(0, Swift.min(1, p)), method: .asymp, warnings: warnings)
        }
        let z = en.squareRoot() * d
        let exponent = -2 * (z * z) - 2 * z * (m + 2 * n) / (m * n * (m + n)).squareRoot() / 3.0
        return Result(statistic: d, pValue: Swift.max(0, Swift.min(1, exp(exponent))), method: .asymp, warnings: warnings)
    }
}
