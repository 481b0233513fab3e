/// Descriptive statistics of each column (matches scipy.stats `describe(X, axis=0, ddof=…)`,
/// bias=True): count, extremes, mean, variance (ddof), and the biased sample skewness and excess
/// kurtosis m₃/m₂^{3/2} and m₄/m₂² − 3 from the central moments about the mean.
///
/// - Complexity: O(n·p): one pass for the means and extremes, one for the central moments.
public struct Describe: Sendable, Hashable, Codable {
    /// Delta degrees of freedom of the variance, ≥ 0.
    public var ddof: Int

    /// The ranges the configuration is held to.
    public enum Rules {
        /// `ddof >= 0`.
        public static let ddof = ParameterRule.count("ddof", atLeast: 0)
    }

    /// Statistics with the variance on n − `ddof` degrees of freedom.
    public init(ddof: Int = 1) { self.ddof = ddof }

    /// The statistics, one entry per column.
    public struct Result: Sendable, Hashable, Codable {
        /// Values per column.
        public var nobs: Int
        /// Smallest and largest values.
        public var minimum: [Double], maximum: [Double]
        /// Means.
        public var mean: [Double]
        /// Variances on n − ddof degrees of freedom; nil where n ≤ ddof.
        public var variance: [Double?]
        /// Biased skewness; nil where the column is constant.
        public var skewness: [Double?]
        /// Biased excess kurtosis; nil where the column is constant.
        public var kurtosis: [Double?]
        /// Why entries are null.
        public var warnings: [String]
    }

    /// The statistics of each column of `x` (at least one row).
    public func describe(_ x: Matrix) throws(SciLearnError) -> Result {
        try Rules.ddof.check(ddof)
        let n = x.rows, p = x.columns
        guard n >= 1, p >= 1 else { throw .invalidData("X", "is empty; at least one value is required") }
        var result = Result(nobs: n, minimum: [], maximum: [], mean: [], variance: [], skewness: [], kurtosis: [], warnings: [])
        var constant: [Int] = []
        try x.withUnsafeBufferPointer { (buffer) throws(SciLearnError) in
            for j in 0..<p {
                let column = UnsafeBufferPointer(rebasing: buffer[(j * x.leadingDimension)..<(j * x.leadingDimension + n)])
                let m = try Moments.of(column)
                guard m.mean.isFinite else {
                    throw .invalidData(p == 1 ? "a" : "X", "column \(j) holds values whose sums leave the range of a double; rescale the data")
                }
                // Skewness and kurtosis are scale-free: deviations scaled by a power of two when
                // their fourth powers would leave the double range (|x| beyond 10^±70).
                let f = SquareSafeScale.factor(maxAbs: Swift.max(abs(m.minimum), abs(m.maximum)), limit: 1e70) ?? 1
                var m2s = 0.0, m3 = 0.0, m4 = 0.0
                for v in column {
                    let d = ((v - m.shift) - m.shiftedMean) * f, d2 = d * d
                    m2s += d2; m3 += d2 * d; m4 += d2 * d2
                }
                let nn = Double(n)
                let m2 = f == 1 ? m.m2 / nn : m2s / nn
                result.minimum.append(m.minimum)
                result.maximum.append(m.maximum)
                result.mean.append(m.mean)
                result.variance.append(n > ddof ? m.m2 / Double(n - ddof) : nil)
                // scipy: skewness and kurtosis are nan where m₂ is within rounding of 0.
                let eps = Double.ulpOfOne * m.mean * f
                if m.isConstant || m2 <= eps * eps {
                    constant.append(j)
                    result.skewness.append(nil); result.kurtosis.append(nil)
                } else {
                    result.skewness.append((m3 / nn) / (m2 * m2.squareRoot()))
                    result.kurtosis.append((m4 / nn) / (m2 * m2) - 3)
                }
            }
        }
        if n <= ddof {
            result.warnings.append(UndefinedValue.undefined(["variance"], "\(n) value\(n == 1 ? "" : "s") leave no degrees of freedom with ddof \(ddof)"))
        }
        if !constant.isEmpty {
            let which = p == 1 ? "the sample is constant" : "column\(constant.count == 1 ? "" : "s") \(constant.map(String.init).joined(separator: ", ")) \(constant.count == 1 ? "is" : "are") constant"
            result.warnings.append(UndefinedValue.undefined(["skewness", "kurtosis"], "\(which) (zero variance)"))
        }
        return result
    }
}
