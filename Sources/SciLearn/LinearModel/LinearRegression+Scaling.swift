#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LinearRegression {
    /// Exact power-of-two rescaling of columns (and y) whose magnitude is extreme, so that sums of
    /// squares neither overflow nor underflow: a column near 1e-300 is a legitimate regressor, not
    /// a zero column, and y near 1e300 must not turn every statistic into infinity.
    ///
    /// OLS is equivariant under column scaling (coefficients and standard errors scale, t, p, R²
    /// and F do not), and powers of two are exact, so this changes nothing but the range. Columns
    /// of ordinary magnitude (2⁻¹⁰⁰ ≤ max |x| < 2¹⁰⁰) are left alone, so the results on them, the
    /// minimum-norm solution of a rank-deficient design included, stay those of statsmodels.
    struct PowerOfTwoScaling {
        /// Factors applied: x′ⱼ = xⱼ·columnFactors[j], y′ = y·yFactor.
        let columnFactors: [Double]
        let yFactor: Double
        let x: Matrix
        let y: [Double]

        /// nil when every column and y are of ordinary magnitude (`columnMaxima`: max |xᵢⱼ| per column).
        init?(x: Matrix, columnMaxima: [Double], y: [Double]) {
            func factor(_ maxAbs: Double) -> Double {
                guard maxAbs > 0, maxAbs.isFinite else { return 1 }
                let e = Int(maxAbs.exponent)
                return (e >= 100 || e < -100) ? scalbn(1.0, -e) : 1
            }
            let cols = columnMaxima.map(factor)
            let yf = factor(y.reduce(0) { max($0, abs($1)) })
            guard yf != 1 || cols.contains(where: { $0 != 1 }) else { return nil }
            var xs = x
            for j in 0..<x.columns where cols[j] != 1 {
                for i in 0..<x.rows { xs[i, j] *= cols[j] }
            }
            columnFactors = cols
            yFactor = yf
            self.x = xs
            self.y = yf == 1 ? y : y.map { $0 * yf }
        }

        /// The model of the original data from the model of the rescaled data.
        func unscale(_ m: Model) -> Model {
            var out = m
            out.coefficients = zip(m.coefficients, columnFactors).map { $0 * $1 / yFactor }
            out.intercept = m.intercept / yFactor
            let termFactors = (m.fitIntercept ? [1 / yFactor] : []) + columnFactors.map { $0 / yFactor }
            out.inference = m.inference.rescaled(termFactors: termFactors, yFactor: yFactor, n: m.nSamples)
            var overflowed = out.coefficients.contains { !$0.isFinite } ? ["coef"] : []
            if !out.intercept.isFinite { overflowed.append("intercept") }
            overflowed += out.inference.overflowed
            if !overflowed.isEmpty { out.warnings.append(UndefinedValue.beyondRange(overflowed)) }
            return out
        }
    }
}
