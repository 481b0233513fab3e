#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// D'Agostino and Pearson's omnibus test of normality (matches scipy.stats `normaltest`):
/// K² = Z(√b₁)² + Z(b₂)², the squared z-scores of the sample skewness (D'Agostino's transform,
/// scipy `skewtest`) and kurtosis (Anscombe and Glynn's, scipy `kurtosistest`), on χ²(2).
public enum NormalityTest {
    /// The test's outcome.
    public struct Result: Sendable, Hashable, Codable {
        /// K²; nil when the sample is constant.
        public var statistic: Double?
        /// P(χ²(2) ≥ K²); nil when undefined.
        public var pValue: Double?
        /// Why a field is null.
        public var warnings: [String]
    }

    /// The test of `a` (at least 8 values, scipy's rule).
    public static func test(_ a: [Double], field: String = "a") throws(SciLearnError) -> Result {
        guard a.count >= 8 else {
            throw .invalidData(field, "has \(a.count) value\(a.count == 1 ? "" : "s"); the normality test needs at least 8 (scipy's skewtest rule)")
        }
        let d = try Describe(ddof: 0).describe(Matrix(rows: a.count, columns: 1, columnMajor: a))
        guard let skew = d.skewness[0], let excess = d.kurtosis[0] else {
            return Result(statistic: nil, pValue: nil, warnings: [UndefinedValue.undefined(["statistic", "p_value"], "the sample \(field) is constant (zero variance)")])
        }
        let n = Double(a.count)
        // skewtest
        var y = skew * ((n + 1) * (n + 3) / (6 * (n - 2))).squareRoot()
        let beta2 = 3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3) / ((n - 2) * (n + 5) * (n + 7) * (n + 9))
        let w2 = -1 + (2 * (beta2 - 1)).squareRoot()
        let delta = 1 / (0.5 * log(w2)).squareRoot()
        let alpha = (2 / (w2 - 1)).squareRoot()
        if y == 0 { y = 1 }
        let zs = delta * log(y / alpha + ((y / alpha) * (y / alpha) + 1).squareRoot())
        // kurtosistest
        let b2 = excess + 3
        let e = 3 * (n - 1) / (n + 1)
        let varb2 = 24 * n * (n - 2) * (n - 3) / ((n + 1) * (n + 1) * (n + 3) * (n + 5))
        let x = (b2 - e) / varb2.squareRoot()
        let sqrtbeta1 = 6 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9)) * (6 * (n + 3) * (n + 5) / (n * (n - 2) * (n - 3))).squareRoot()
        let aa = 6 + 8 / sqrtbeta1 * (2 / sqrtbeta1 + (1 + 4 / (sqrtbeta1 * sqrtbeta1)).squareRoot())
        let term1 = 1 - 2 / (9 * aa)
        let denom = 1 + x * (2 / (aa - 4)).squareRoot()
        guard denom != 0 else {
            return Result(statistic: nil, pValue: nil, warnings: [UndefinedValue.undefined(["statistic", "p_value"], "the kurtosis z-score is undefined (Anscombe-Glynn's denominator is 0)")])
        }
        let term2 = (denom < 0 ? -1.0 : 1.0) * pow((1 - 2 / aa) / abs(denom), 1.0 / 3)
        let zk = (term1 - term2) / (2 / (9 * aa)).squareRoot()
        let k2 = zs * zs + zk * zk
        return Result(statistic: k2, pValue: ChiSquared(df: 2).sf(k2), warnings: [])
    }
}
