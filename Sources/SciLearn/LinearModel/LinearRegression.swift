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
/// Numerics: a triangular factor of the centred design chosen by its conditioning: the Gram
/// matrix's Cholesky factor refined on the residual when the design is nearly orthogonal
/// (condition ≤ 4), CholeskyQR2 up to 10⁴, a tall-skinny Householder QR beyond, each as accurate
/// as Householder QR for the data it takes (`Docs/numerics.md`). Covariance from R⁻¹, never
/// inv(RᵀR).
///
/// - Complexity: O(n·p²) flops; three passes over X for a well-conditioned tall design (the
///   column scan, the Gram product, the residual), one more for CholeskyQR2 or the Householder
///   QR, and up to six more when iterative refinement runs (at most three residual-and-gradient
///   evaluations, each reading X twice); a rank-deficient tall design adds an O(p³) SVD of the
///   p × p factor. A wide design
///   (fewer rows than terms) is O(n²·p) by the SVD of X itself. ``estimatedCost(rows:columns:fitIntercept:)``
///   states both as a function of the shape.
public struct LinearRegression: Sendable, Codable, Hashable {
    /// Whether to fit an intercept (statsmodels: `add_constant`). Default true.
    public var fitIntercept: Bool
    /// The range of each numeric parameter, checked by ``validate()`` and stated by the service.
    public enum Rules {
        /// `alpha in (0, 1)`.
        public static let alpha = ParameterRule("alpha", lower: .exclusive(0), upper: .exclusive(1))
    }

    /// Significance level for the confidence intervals (``Rules/alpha``). Default 0.05.
    public var alpha: Double

    /// A configuration; the ranges are checked by ``fit(_:_:)``.
    public init(fitIntercept: Bool = true, alpha: Double = 0.05) {
        self.fitIntercept = fitIntercept
        self.alpha = alpha
    }

    /// Checks every parameter against its ``Rules``.
    public func validate() throws(SciLearnError) {
        try Rules.alpha.check(alpha)
    }

    /// Fits the model to `x` (n × p) and `y` (n).
    ///
    /// - Throws: `invalidParameter` (`alpha`), `invalidData` when shapes disagree, values are not
    ///   finite or there are no samples; `numericalFailure` when LAPACK fails.
    public func fit(_ x: Matrix, _ y: [Double]) throws(SciLearnError) -> Model {
        BLASThreading.pinSingleThreaded()
        try validate()
        // With an intercept the means come from the same pass as the finiteness check.
        let (columnMaxima, columnMeans) = fitIntercept
            ? try Validation.finiteColumnMaximaAndMeans(x, name: "X")
            : (try Validation.finiteColumnMaxima(x, name: "X"), [])
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

        let xMeans = fitIntercept ? columnMeans : [DoubleDouble](repeating: DoubleDouble(0), count: p)
        let yMean = fitIntercept ? y.withUnsafeBufferPointer { AccurateSum.mean($0.baseAddress!, count: n) } : DoubleDouble(0)

        var coefficients: [Double]
        var intercept = 0.0
        var normalizedVariances: [Double]   // diag((AᵀA)⁻¹) over the terms (intercept first when fitted)
        var ssr: Double
        var rank: Int
        let terms = p + (fitIntercept ? 1 : 0)

        // Fewer rows than terms: rank-deficient by shape; solved from the n × q matrix directly.
        let solution = terms > n ? .rankDeficient : try LeastSquares.solveFullRank(x: x, y: y, xMeans: xMeans, yMean: yMean)
        switch solution {
        case .fullRank(let s):
            coefficients = s.coefficients
            ssr = s.residualSumOfSquares
            rank = terms
            normalizedVariances = try Self.variances(fromR: s.r, p: p, xMeans: fitIntercept ? xMeans.map(\.value) : nil, n: n)
            if fitIntercept {
                var c = yMean
                for j in 0..<p { c = c + (-(xMeans[j] * coefficients[j])) }
                intercept = c.value
            }
            if s.conditionNumber > 1e10 {
                warnings.append("X is ill-conditioned (condition number of the equilibrated design \(Self.format(s.conditionNumber))); coefficients may carry few correct digits")
            }
        case .rankDeficient:
            let s = terms > n
                ? try LeastSquares.solveMinimumNormWide(x: x, y: y, leadingOnes: fitIntercept)
                : try LeastSquares.solveMinimumNorm(x: x, y: y, leadingOnes: fitIntercept)
            rank = s.rank
            ssr = s.residualSumOfSquares
            normalizedVariances = s.normalizedVariances
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
        // As many independent terms as samples: the fit is exact (the residual is zero in exact
        // arithmetic), so SSR is 0 rather than a rounding residual whose logarithm would make a
        // log-likelihood of noise.
        if rank == n { ssr = 0 }

        let params = fitIntercept ? [intercept] + coefficients : coefficients
        let inference = Inference(params: params, normalizedVariances: normalizedVariances, ssr: ssr, tss: tss,
                                  n: n, rank: rank, hasConstant: hasConstant, alpha: alpha, warnings: &warnings)
        return Model(coefficients: coefficients, intercept: intercept, fitIntercept: fitIntercept,
                     inference: inference, rank: rank, nSamples: n, warnings: warnings)
    }

    /// The peak memory and work of ``fit(_:_:)`` on an `rows × columns` X, from its shape alone
    /// (the worst of the paths the shape allows: a rank-deficient tall design is assumed to need
    /// its SVD).
    ///
    /// Tall (n ≥ q terms): the Gram passes' partial products or the tall-skinny QR's leaf
    /// triangles (the larger), blocks, refinement vectors, and the q × q SVD;
    /// 5·n·q² + 60·n·p + 30·q³ flops (the Gram pass, CholeskyQR2's second and the Householder QR
    /// when both Gram paths are refused). Wide (n < q): the n × q copy, its Vᵀ
    /// and the SVD's workspace; 6·n²·q + 22·n³ flops. The response's per-term arrays are
    /// counted too (about 400 bytes a term).
    public static func estimatedCost(rows n: Int, columns p: Int, fitIntercept: Bool) -> ComputeCost {
        let nd = Double(n), pd = Double(p), q = pd + (fitIntercept ? 1 : 0), w = q + 1
        let copy = nd * pd + 4 * nd            // an exact rescaling copy of X, and y-sized vectors
        let response = 400 * q
        if q > nd {
            let memory = 8 * (copy + 2 * nd * q + 8 * nd * nd + q) + response
            return ComputeCost(memoryBytes: memory, flops: 6 * nd * nd * q + 22 * nd * nd * nd,
                               drivenBy: "X: \(n) rows × \(p) columns")
        }
        let leaves = (nd / Double(TallSkinnyQR.leafRows)).rounded(.up)
        let cores = Double(Parallel.coreCount)
        let block = Double(TallSkinnyQR.blockRows(columns: Int(w)))
        // The Gram passes' partial products, one (w + 3)² per block of 16,384 rows.
        let partials = Double(BlockedSum.blockCount(rows: n)) * (w + 3) * (w + 3)
        let memory = 8 * (copy + max(leaves * w * w, partials) + cores * (block * w + w * w) + 10 * q * q) + response
        // Worst case: the Gram pass, CholeskyQR2's second pass, then the Householder QR.
        return ComputeCost(memoryBytes: memory, flops: 5 * nd * w * w + 60 * nd * pd + 30 * q * q * q,
                           drivenBy: "X: \(n) rows × \(p) columns")
    }

    /// diag((AᵀA)⁻¹) over the terms from the triangular factor of the centred design: the
    /// squared row norms of R⁻¹ for the slopes, and `1/n + ‖R⁻ᵀx̄‖²` for the intercept. Only the
    /// diagonal is formed (the standard errors need nothing else): O(p³/3) for the inverse,
    /// O(p²) beyond it.
    static func variances(fromR r: [Double], p: Int, xMeans: [Double]?, n: Int) throws(SciLearnError) -> [Double] {
        var rinv = r
        if p > 0 {   // an intercept-only model has no slopes: nothing to invert
            try rinv.withUnsafeMutableBufferPointer { (rp) throws(SciLearnError) in
                try LAPACK.trtriUpperBlocked(n: p, a: rp.baseAddress!, lda: p)
            }
        }
        // (R⁻¹R⁻ᵀ)ᵢᵢ = Σₖ (R⁻¹)ᵢₖ², k ≥ i.
        var slopes = [Double](repeating: 0, count: p)
        for k in 0..<p {
            for i in 0...k { slopes[i] += rinv[i + k * p] * rinv[i + k * p] }
        }
        guard let m = xMeans else { return slopes }
        // v = R⁻ᵀ x̄, so x̄ᵀ R⁻¹R⁻ᵀ x̄ = ‖v‖².
        var v2 = 0.0
        for k in 0..<p {
            var s = 0.0
            for i in 0...k { s += rinv[i + k * p] * m[i] }
            v2 += s * s
        }
        return [1 / Double(n) + v2] + slopes
    }

    static func format(_ v: Double) -> String {
        let e = Int(log10(v).rounded(.down))
        let mant = v / pow(10, Double(e))
        return "\((mant * 10).rounded() / 10)e\(e)"
    }
}
