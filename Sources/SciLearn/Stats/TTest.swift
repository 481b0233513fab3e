#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Student's t-tests: one sample, two independent samples (Student's pooled or Welch's), and
/// paired samples, with the confidence interval of the estimate (matches scipy.stats
/// `ttest_1samp`, `ttest_ind`, `ttest_rel`).
///
/// The summaries are one pass per sample (``Moments``), so a test on 10⁷ values is bound by
/// memory bandwidth. A sample with zero variance gives an infinite statistic where the means
/// differ (reported null, with the p value scipy gives) and an undefined one where they do not.
///
/// - Complexity: O(n), one read of each sample.
public struct TTest: Sendable, Hashable, Codable {
    /// The alternative hypothesis (scipy's `alternative`).
    public var alternative: Alternative
    /// The confidence level of ``Result/confidenceInterval``, in (0, 1).
    public var confidenceLevel: Double

    /// The ranges the configuration is held to.
    public enum Rules {
        /// `confidence_level` in (0, 1).
        public static let confidenceLevel = ParameterRule("confidence_level", lower: .exclusive(0), upper: .exclusive(1))
    }

    /// A test against `alternative`, with intervals at `confidenceLevel`.
    public init(alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95) {
        self.alternative = alternative
        self.confidenceLevel = confidenceLevel
    }

    /// A test's outcome (scipy's `TtestResult`).
    public struct Result: Sendable, Hashable, Codable {
        /// The t statistic; nil when undefined or infinite (see ``warnings``).
        public var statistic: Double?
        /// The p value; nil when undefined.
        public var pValue: Double?
        /// The degrees of freedom (Welch-Satterthwaite's for Welch's test).
        public var df: Double
        /// The confidence interval of ``estimate`` at the configured level (unbounded on one side
        /// for a one-sided alternative).
        public var confidenceInterval: ConfidenceInterval
        /// The mean (one sample), the difference of the means (independent), or the mean
        /// difference (paired).
        public var estimate: Double
        /// Why a field is null.
        public var warnings: [String]
    }

    /// Checks the configuration.
    public func validate() throws(SciLearnError) {
        try Rules.confidenceLevel.check(confidenceLevel)
    }

    /// H₀: the mean of `a` is `popmean` (scipy `ttest_1samp`).
    public func oneSample(_ a: [Double], popmean: Double = 0, field: String = "a") throws(SciLearnError) -> Result {
        try validate()
        guard popmean.isFinite else { throw .invalidParameter("popmean", "must be a finite number") }
        let m = try Self.moments(a, field: field, atLeast: 2, test: "a one-sample t-test")
        if let f = SquareSafeScale.factor([m]), (popmean * f).isFinite {
            // t is scale-free; the estimate and interval are scaled back exactly. (A popmean
            // beyond the scaled range leaves t = ±∞ unscaled, which is the answer.)
            return unscaled(try oneSample(SquareSafeScale.scaled(a, by: f), popmean: popmean * f, field: field), by: f)
        }
        let se = (m.variance() / m.count).squareRoot()
        return finish(difference: m.shiftedMean + (m.shift - popmean), estimate: m.mean, se: se, df: m.count - 1,
                      constant: m.isConstant ? "the sample \(field) is constant" : nil)
    }

    /// H₀: `a` and `b` have the same mean (scipy `ttest_ind`); Student's pooled variance when
    /// `equalVariances`, else Welch's test.
    public func independent(_ a: [Double], _ b: [Double], equalVariances: Bool = true) throws(SciLearnError) -> Result {
        try validate()
        let need = equalVariances ? 1 : 2
        let name = equalVariances ? "Student's t-test" : "Welch's t-test"
        let ma = try Self.moments(a, field: "a", atLeast: need, test: name)
        let mb = try Self.moments(b, field: "b", atLeast: need, test: name)
        if let f = SquareSafeScale.factor([ma, mb]) {
            return unscaled(try independent(SquareSafeScale.scaled(a, by: f), SquareSafeScale.scaled(b, by: f), equalVariances: equalVariances), by: f)
        }
        // Each measured from its own first value; the shifts' difference is exact when the
        // means are close, where the difference would otherwise cancel.
        let estimate = (ma.shift - mb.shift) + (ma.shiftedMean - mb.shiftedMean)
        let constant = ma.isConstant && mb.isConstant ? "both samples are constant" : nil
        if equalVariances {
            let df = ma.count + mb.count - 2
            guard df >= 1 else { throw .invalidData("b", "a and b hold 2 values in all; Student's t-test needs at least 3") }
            let pooled = (ma.m2 + mb.m2) / df
            let se = (pooled * (1 / ma.count + 1 / mb.count)).squareRoot()
            return finish(difference: estimate, estimate: estimate, se: se, df: df, constant: constant)
        }
        let va = ma.variance() / ma.count, vb = mb.variance() / mb.count
        // Welch-Satterthwaite on the variances divided by the larger, so that their squares
        // neither overflow nor underflow (data near 1e-81 or 1e100 gave df = ∞ or 1).
        let s = Swift.max(va, vb)
        var df = 1.0  // both variances 0: scipy's convention
        if s > 0 {
            let ra = va / s, rb = vb / s
            df = (ra + rb) * (ra + rb) / (ra * ra / (ma.count - 1) + rb * rb / (mb.count - 1))
        }
        return finish(difference: estimate, estimate: estimate, se: (va + vb).squareRoot(), df: df, constant: constant)
    }

    /// H₀: the paired differences `a − b` have mean 0 (scipy `ttest_rel`).
    public func related(_ a: [Double], _ b: [Double]) throws(SciLearnError) -> Result {
        try validate()
        guard a.count == b.count else {
            throw .invalidData("b", "has \(b.count) values but a has \(a.count); paired samples must have the same length")
        }
        var d = [Double](repeating: 0, count: a.count)
        for i in 0..<a.count { d[i] = a[i] - b[i] }
        let m = try Self.moments(d, field: "a", atLeast: 2, test: "a paired t-test", what: "pairs")
        if let f = SquareSafeScale.factor([m]) {
            return unscaled(try related(SquareSafeScale.scaled(a, by: f), SquareSafeScale.scaled(b, by: f)), by: f)
        }
        let se = (m.variance() / m.count).squareRoot()
        return finish(difference: m.mean, estimate: m.mean, se: se, df: m.count - 1,
                      constant: m.isConstant ? "the differences a - b are constant" : nil)
    }

    /// A result computed on data scaled by `f`, its estimate and interval divided back.
    func unscaled(_ r: Result, by f: Double) -> Result {
        var r = r
        r.estimate /= f
        r.confidenceInterval.lower = r.confidenceInterval.lower.map { $0 / f }
        r.confidenceInterval.upper = r.confidenceInterval.upper.map { $0 / f }
        return r
    }

    /// The moments of a sample of at least `atLeast` finite values.
    static func moments(_ x: [Double], field: String, atLeast: Int, test: String, what: String = "values", shift: Double? = nil) throws(SciLearnError) -> Moments {
        guard x.count >= atLeast else {
            throw .invalidData(field, "has \(x.count) \(x.count == 1 ? String(what.dropLast()) : what); \(test) needs at least \(atLeast)")
        }
        let m = try Moments.of(x, shift: shift)
        guard m.mean.isFinite, m.m2.isFinite || SquareSafeScale.factor([m]) != nil else {
            throw .invalidData(field, "holds values whose sums leave the range of a double (or a NaN or infinity); rescale the data")
        }
        return m
    }

    /// The statistic, p value and interval from the difference under test and its standard
    /// error, with the rule for zero standard errors.
    func finish(difference: Double, estimate: Double, se: Double, df: Double, constant: String?) -> Result {
        let dist = StudentT(df: df)
        let t = difference / se
        var warnings: [String] = []
        var statistic: Double? = t
        var p: Double? = alternative.pValue(lower: dist.cdf(t), upper: dist.sf(t))
        if t.isNaN {
            statistic = nil; p = nil
            warnings.append(UndefinedValue.undefined(["statistic", "p_value"], "\(constant ?? "the standard error is 0") and the difference under test is 0"))
        } else if t.isInfinite {
            statistic = nil
            warnings.append(UndefinedValue.infinite(["statistic"], "\(constant ?? "the standard error is 0"), so the difference under test is infinitely many standard errors"))
        }
        let interval: ConfidenceInterval
        switch alternative {
        case .less:
            interval = ConfidenceInterval(lower: -.infinity, upper: dist.quantile(confidenceLevel) * se + estimate)
        case .greater:
            interval = ConfidenceInterval(lower: dist.quantile(1 - confidenceLevel) * se + estimate, upper: .infinity)
        case .twoSided:
            // The upper quantile by symmetry: 1 − tail rounds to 1 for a level within 1e-16 of 1.
            let tail = (1 - confidenceLevel) / 2
            let q = dist.quantile(tail)
            interval = ConfidenceInterval(lower: q * se + estimate, upper: -q * se + estimate)
        }
        if alternative != .twoSided {
            warnings.append(UndefinedValue.unboundedInterval("confidence_interval", alternative))
        } else if interval.isUnbounded {
            warnings.append(UndefinedValue.beyondRange(["confidence_interval"]))
        }
        return Result(statistic: statistic, pValue: p, df: df, confidenceInterval: interval, estimate: estimate, warnings: warnings)
    }
}
