#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ordinary least squares with statsmodels-grade inference.
///
/// Matches statsmodels `OLS(y, add_constant(X)).fit()` (or `OLS(y, X)` without an intercept) in
/// every reported quantity, and scikit-learn `LinearRegression` in `coef_` / `intercept_`:
/// uncentred R² without an intercept (unless X itself holds a constant column, which statsmodels
/// detects and so do we), rank-deficient designs solved by minimum-norm least squares with a
/// warning and degrees of freedom from the rank.
///
/// Numerics: centred Householder QR by a tall-skinny QR with iterative refinement (see
/// `LeastSquares`); never the normal equations. Covariance from R⁻¹, never inv(RᵀR).
///
/// - Complexity: O(n·p²) flops, one pass over X (plus two more when refinement runs).
public struct LinearRegression: Sendable, Codable, Hashable {
    /// Whether to fit an intercept (statsmodels: `add_constant`). Default true.
    public var fitIntercept: Bool
    /// Significance level for the confidence intervals, in (0, 1). Default 0.05.
    public var alpha: Double

    public init(fitIntercept: Bool = true, alpha: Double = 0.05) {
        self.fitIntercept = fitIntercept
        self.alpha = alpha
    }

    /// Fits the model to `x` (n × p) and `y` (n).
    ///
    /// - Throws: `invalidParameter` (`alpha`), `invalidData` when shapes disagree, values are not
    ///   finite or there are no samples; `numericalFailure` when LAPACK fails.
    public func fit(_ x: Matrix, _ y: [Double]) throws(SciLearnError) -> Model {
        guard alpha > 0 && alpha < 1 else {
            throw .invalidParameter("alpha", "must be in the open interval (0, 1); got \(alpha)")
        }
        let columnMaxima = try Validation.finiteColumnMaxima(x, name: "X")
        try Validation.finite(y, name: "y")
        let n = x.rows, p = x.columns
        guard y.count == n else {
            throw .invalidData("y", "has \(y.count) values but X has \(n) rows; they must match")
        }
        guard n >= 1 else { throw .invalidData("X", "has no rows; at least one sample is required") }
        guard p >= 1 || fitIntercept else {
            throw .invalidData("X", "has no columns and fit_intercept is false: there is nothing to fit")
        }

        if let scaling = PowerOfTwoScaling(x: x, columnMaxima: columnMaxima, y: y) {
            // The rescaled data is of ordinary magnitude, so this recursion goes one level deep.
            return scaling.unscale(try fit(scaling.x, scaling.y))
        }

        var warnings: [String] = []
        // statsmodels' k_constant: our added intercept, or a constant column already in X.
        let constantColumn = fitIntercept ? nil : Validation.constantColumn(x)
        let hasConstant = fitIntercept || constantColumn != nil

        let xMeans = fitIntercept ? AccurateSum.columnMeans(x) : [DoubleDouble](repeating: DoubleDouble(0), count: p)
        let yMean = fitIntercept ? y.withUnsafeBufferPointer { AccurateSum.mean($0.baseAddress!, count: n) } : DoubleDouble(0)

        var coefficients: [Double]
        var intercept = 0.0
        var normalizedCovariance: [Double]   // over the terms (intercept first when fitted)
        var ssr: Double
        var rank: Int
        let terms = p + (fitIntercept ? 1 : 0)

        switch try LeastSquares.solveFullRank(x: x, y: y, xMeans: xMeans, yMean: yMean) {
        case .fullRank(let s):
            coefficients = s.coefficients
            ssr = s.residualSumOfSquares
            rank = terms
            normalizedCovariance = try Self.covariance(fromR: s.r, p: p, xMeans: fitIntercept ? xMeans.map(\.value) : nil, n: n)
            if fitIntercept {
                var c = yMean
                for j in 0..<p { c = c + (-(xMeans[j] * coefficients[j])) }
                intercept = c.value
            }
            if s.conditionNumber > 1e10 {
                warnings.append("X is ill-conditioned (condition number of the equilibrated design \(Self.format(s.conditionNumber))); coefficients may carry few correct digits")
            }
        case .rankDeficient:
            let s = try LeastSquares.solveMinimumNorm(x: x, y: y, leadingOnes: fitIntercept)
            rank = s.rank
            ssr = s.residualSumOfSquares
            normalizedCovariance = s.normalizedCovariance
            if fitIntercept {
                intercept = s.coefficients[0]
                coefficients = Array(s.coefficients.dropFirst())
            } else {
                coefficients = s.coefficients
            }
            warnings.append("X is rank deficient (rank \(rank) < \(terms) terms\(fitIntercept ? " including the intercept" : "")): the minimum-norm least-squares solution is returned and degrees of freedom use the rank")
        }

        // Total sum of squares: centred with a constant, uncentred without (statsmodels).
        let tss: Double
        if hasConstant {
            let m = fitIntercept ? yMean : y.withUnsafeBufferPointer { AccurateSum.mean($0.baseAddress!, count: n) }
            var acc = 0.0
            for v in y { let d = (DoubleDouble.twoSum(v, -m.hi) + (-m.lo)).value; acc += d * d }
            tss = acc
        } else {
            tss = y.reduce(0) { $0 + $1 * $1 }
        }

        // Nothing fitted beyond a constant (intercept only, or rank 0): the residual is exactly
        // y − ȳ (or y), so SSR is the TSS and R² is 0 exactly, as statsmodels reports, rather
        // than a QR norm that differs from it in the last bit.
        if rank == (hasConstant ? 1 : 0) { ssr = tss }

        let params = fitIntercept ? [intercept] + coefficients : coefficients
        let inference = Inference(params: params, normalizedCovariance: normalizedCovariance, ssr: ssr, tss: tss,
                                  n: n, rank: rank, hasConstant: hasConstant, alpha: alpha, warnings: &warnings)
        return Model(coefficients: coefficients, intercept: intercept, fitIntercept: fitIntercept,
                     inference: inference, rank: rank, nSamples: n, warnings: warnings)
    }

    /// (AᵀA)⁻¹ over the terms from the triangular factor of the centred design: R⁻¹R⁻ᵀ for the
    /// slopes, and for the intercept `1/n + ‖R⁻ᵀx̄‖²` with covariances `−R⁻¹R⁻ᵀx̄`.
    static func covariance(fromR r: [Double], p: Int, xMeans: [Double]?, n: Int) throws(SciLearnError) -> [Double] {
        var rinv = r
        if p > 0 {   // an intercept-only model has no slopes: nothing to invert
            try rinv.withUnsafeMutableBufferPointer { (rp) throws(SciLearnError) in
                try LAPACK.trtriUpper(n: p, a: rp.baseAddress!, lda: p)
            }
        }
        // C = R⁻¹ R⁻ᵀ (p × p).
        var c = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            for i in 0...j {
                var s = 0.0
                for k in j..<p { s += rinv[i + k * p] * rinv[j + k * p] }
                c[i + j * p] = s; c[j + i * p] = s
            }
        }
        guard let m = xMeans else { return c }
        let q = p + 1
        var out = [Double](repeating: 0, count: q * q)
        // v = R⁻ᵀ x̄, so x̄ᵀ C x̄ = ‖v‖², and C x̄ gives the intercept-slope covariances.
        var cm = [Double](repeating: 0, count: p)
        for i in 0..<p { var s = 0.0; for j in 0..<p { s += c[i + j * p] * m[j] }; cm[i] = s }
        var v2 = 0.0
        for k in 0..<p {
            var s = 0.0
            for i in 0...k { s += rinv[i + k * p] * m[i] }
            v2 += s * s
        }
        out[0] = 1 / Double(n) + v2
        for i in 0..<p {
            out[(i + 1)] = -cm[i]
            out[(i + 1) * q] = -cm[i]
            for j in 0..<p { out[(i + 1) + (j + 1) * q] = c[i + j * p] }
        }
        return out
    }

    static func format(_ v: Double) -> String {
        let e = Int(log10(v).rounded(.down))
        let mant = v / pow(10, Double(e))
        return "\((mant * 10).rounded() / 10)e\(e)"
    }
}
