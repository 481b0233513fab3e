#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Logistic regression, binary (sigmoid) or multinomial (softmax), with an L2 penalty or none,
/// fitted by Newton's method; for two classes without penalty, statsmodels `Logit` inference.
///
/// Matches scikit-learn `LogisticRegression(C, fit_intercept, max_iter, tol, class_weight)`
/// (`l1_ratio=0`, or `C=inf` for no penalty) in `classes_`, `coef_`, `intercept_` and
/// `predict_proba`: it minimises `C·Σᵢ sᵢ·ℓᵢ + ½‖W‖²` (intercepts not penalised; sᵢ the class
/// weights, `n / (K·countₖ)` for "balanced"). For K ≥ 3 the coefficient rows sum to zero, the
/// solution scikit-learn's L-BFGS reaches from zero. Without a penalty and with two classes the
/// model also carries ``Inference``, as statsmodels `Logit(y, add_constant(X)).fit()`.
///
/// The solver: damped Newton steps on the exact Hessian (XᵀWX by BLAS-3 products, one pass
/// over X per step), a Cholesky solve, backtracking to an Armijo decrease.
/// It stops only when both scikit-learn's test holds (the largest gradient entry of the mean
/// loss at most `tol`) and the Newton decrement shows the objective converged to rounding, so
/// results are converged tightly whatever `tol`: Newton's quadratic convergence makes the
/// difference one or two steps. A singular Hessian (collinear X, no penalty) takes the
/// pseudo-inverse step, which keeps Θ in X's row space, where the minimiser is unique.
///
/// Without a penalty, data whose classes are perfectly or quasi-perfectly separated (some samples'
/// classes predicted with certainty: probability within 1e-10 of 1) have no finite estimate: the
/// fit fails with `numericalFailure` saying so.
///
/// - Complexity: per Newton step n·q²·r(r+1)/2 flops for the Hessian (q terms, r = 1 for two
///   classes, K − 1 otherwise), plus a (r·q)³/3 Cholesky; typically 5-10 steps.
public struct LogisticRegression: Sendable, Codable, Hashable {
    /// The penalty.
    public enum Penalty: String, Sendable, Codable, Hashable, CaseIterable {
        /// ½‖W‖², weighted by 1/C.
        case l2
        /// No penalty (scikit-learn `C=np.inf`): maximum likelihood.
        case none
    }

    /// Class weights.
    public enum ClassWeight: String, Sendable, Codable, Hashable, CaseIterable {
        /// `n / (K · count of the class)`, as scikit-learn.
        case balanced
    }

    /// The range of each numeric parameter, checked by ``validate()`` and stated by the service.
    public enum Rules {
        /// `C > 0`.
        public static let c = ParameterRule.above("C", 0)
        /// `max_iter >= 1`.
        public static let maxIter = ParameterRule.count("max_iter", atLeast: 1)
        /// `tol > 0`.
        public static let tol = ParameterRule.above("tol", 0)
    }

    /// The penalty. Default l2.
    public var penalty: Penalty
    /// Inverse penalty strength (``Rules/c``). Default 1.
    public var c: Double
    /// Whether to fit (unpenalised) intercepts. Default true.
    public var fitIntercept: Bool
    /// Most Newton steps (``Rules/maxIter``). Default 100.
    public var maxIter: Int
    /// Largest gradient entry of the mean loss at convergence (scikit-learn's `gtol`;
    /// ``Rules/tol``). Default 1e-4.
    public var tol: Double
    /// Class weights; nil for none. Default nil.
    public var classWeight: ClassWeight?

    /// A configuration; ranges are checked by ``fit(_:_:)-(_,[Double])``.
    public init(penalty: Penalty = .l2, c: Double = 1, fitIntercept: Bool = true, maxIter: Int = 100, tol: Double = 1e-4,
                classWeight: ClassWeight? = nil) {
        self.penalty = penalty
        self.c = c
        self.fitIntercept = fitIntercept
        self.maxIter = maxIter
        self.tol = tol
        self.classWeight = classWeight
    }

    /// Fits numeric class labels `y` (n values; classes sorted by value).
    ///
    /// - Throws: `invalidParameter` (`C`, `max_iter`, `tol`), `invalidData` (shapes, non-finite
    ///   values, non-integral labels: a continuous target, one class only), `numericalFailure`
    ///   (perfect separation without a penalty), `cancelled`.
    public func fit(_ x: Matrix, _ y: [Double]) throws(SciLearnError) -> Model {
        try ClassLabels.checkDiscrete(y, name: "y")
        let (classes, indices) = ClassLabels.encode(y)
        return try fit(x, classes: classes, labels: indices)
    }

    /// Fits string class labels `y` (classes sorted by code points, as numpy).
    public func fit(_ x: Matrix, _ y: [String]) throws(SciLearnError) -> Model {
        let (classes, indices) = ClassLabels.encode(y)
        return try fit(x, classes: classes, labels: indices)
    }

    /// Fits encoded labels: `labels[i]` is sample i's index into `classes`.
    public func fit(_ x: Matrix, classes: ClassLabels, labels: [Int]) throws(SciLearnError) -> Model {
        BLASThreading.pinSingleThreaded()
        try validate()
        _ = try Validation.finiteColumnMaxima(x, name: "X")
        let n = x.rows, k = classes.count
        guard labels.count == n else { throw .invalidData("y", "has \(labels.count) values but X has \(n) rows; they must match") }
        guard n >= 1 else { throw .invalidData("X", "has no rows; at least one sample is required") }
        guard k >= 2 else {
            throw .invalidData("y", "holds one class only (\(Self.describe(classes, 0))); logistic regression needs at least two")
        }
        var counts = [Int](repeating: 0, count: k)
        for l in labels { counts[l] += 1 }
        let weights: [Double] = classWeight == .balanced
            ? labels.map { Double(n) / (Double(k) * Double(counts[$0])) }
            : [Double](repeating: 1, count: n)
        let loss = LogisticLoss(x: x, labels: labels, weights: weights, classes: k, fitIntercept: fitIntercept,
                                lambda: penalty == .l2 ? 1 / c : 0)
        let weightSum = weights.reduce(0, +)
        let inferring = k == 2 && penalty == .none
        if Self.solvesInSamplesSpace(rows: n, columns: x.columns, classes: k, penalty: penalty) {
            return try fitWide(x, classes: classes, labels: labels, weights: weights, scaledTol: tol * weightSum)
        }
        let result = try Self.newton(loss, maxIter: maxIter, tol: tol * weightSum, finalHessian: inferring)
        var warnings: [String] = []
        let last = result.evaluation
        if penalty == .none && last.certain > 0 {
            // At a finite maximum every probability is strictly inside (0, 1); samples predicted
            // with certainty mean the likelihood still rises toward infinite coefficients.
            let which = last.certain == n ? "perfect separation: X predicts the class of every sample with certainty"
                : "quasi-separation: X predicts the class of \(last.certain) of \(n) samples with certainty"
            throw SciLearnError(.numericalFailure, field: "y",
                                "\(which), so no finite maximum-likelihood estimate exists; use penalty \"l2\"")
        }
        if !result.converged {
            warnings.append("max_iter=\(maxIter) reached before convergence (tol=\(tol))")
        }
        // Coefficient rows: W = B Θ, or θ itself for two classes.
        let w = loss.weightsMatrix(result.theta)
        let rows = k == 2 ? 1 : k, q = loss.terms, p = x.columns
        var coef = Matrix(rows: rows, columns: p)
        var intercepts = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            let c = k == 2 ? 1 : row
            for j in 0..<p { coef[row, j] = w[c * q + j] }
            if fitIntercept { intercepts[row] = w[c * q + p] }
        }
        var inference: Inference? = nil
        if inferring {
            inference = Inference(theta: result.theta, hessian: last.hessian, singular: result.singular, labels: labels,
                                  logLikelihood: last.logLikelihood, fitIntercept: fitIntercept, weighted: classWeight != nil,
                                  warnings: &warnings)
        }
        return Model(classes: classes, coefficients: coef, intercepts: intercepts, fitIntercept: fitIntercept,
                     iterations: result.iterations, converged: result.converged, inference: inference, warnings: warnings,
                     solverCounts: result.counts)
    }

    /// Whether a fit is solved in the samples' space (``WideBinaryLogistic`` for two classes,
    /// ``WideMultinomialLogistic`` for more): a penalty, a Newton system in the samples' space
    /// (order n for two classes, n·K for K ≥ 3) smaller than the r·q one, and an (r·q)² Hessian
    /// of more than 2,048² doubles (32 MiB), where forming it is the cost. Narrower fits keep the
    /// q-dimensional path, whose pseudo-inverse steps also hold its accuracy when λ is tiny
    /// against the curvature (C very large or X unscaled); the samples' space form
    /// (λI + DK)⁻¹ loses about ε·‖DK‖/λ there.
    static func solvesInSamplesSpace(rows n: Int, columns p: Int, classes k: Int, penalty: Penalty) -> Bool {
        let r = k <= 2 ? 1 : k - 1, m = r.multipliedReportingOverflow(by: p + 1)
        let system = k <= 2 ? n : n.multipliedReportingOverflow(by: k).partialValue
        return penalty == .l2 && (m.overflow || (m.partialValue > 2_048 && system < m.partialValue))
    }

    /// L2, more terms than samples: Newton's method in the samples' space.
    private func fitWide(_ x: Matrix, classes: ClassLabels, labels: [Int], weights: [Double], scaledTol: Double) throws(SciLearnError) -> Model {
        let k = classes.count, p = x.columns
        var coef: Matrix, intercepts: [Double], result: NewtonResult
        if k == 2 {
            let problem = try WideBinaryLogistic(x: x, labels: labels, weights: weights, fitIntercept: fitIntercept, lambda: 1 / c)
            result = try Self.newton(problem, maxIter: maxIter, tol: scaledTol, finalHessian: false)
            coef = Matrix(rows: 1, columns: p, columnMajor: problem.slopes(result.theta))
            intercepts = [fitIntercept ? result.theta[x.rows] : 0]
        } else {
            let problem = try WideMultinomialLogistic(x: x, labels: labels, weights: weights, classes: k, fitIntercept: fitIntercept,
                                                      lambda: 1 / c)
            result = try Self.newton(problem, maxIter: maxIter, tol: scaledTol, finalHessian: false)
            let q = p + (fitIntercept ? 1 : 0)
            let w = LogisticLoss(x: x, labels: labels, weights: weights, classes: k, fitIntercept: fitIntercept, lambda: 1 / c)
                .weightsMatrix(problem.reducedTheta(result.theta))
            coef = Matrix(rows: k, columns: p)
            intercepts = [Double](repeating: 0, count: k)
            for row in 0..<k {
                for j in 0..<p { coef[row, j] = w[row * q + j] }
                if fitIntercept { intercepts[row] = w[row * q + p] }
            }
        }
        let warnings = result.converged ? [] : ["max_iter=\(maxIter) reached before convergence (tol=\(tol))"]
        return Model(classes: classes, coefficients: coef, intercepts: intercepts, fitIntercept: fitIntercept,
                     iterations: result.iterations, converged: result.converged, inference: nil, warnings: warnings,
                     solverCounts: result.counts)
    }

    /// Checks every parameter against its ``Rules``.
    public func validate() throws(SciLearnError) {
        try Rules.c.check(c)
        try Rules.maxIter.check(maxIter)
        try Rules.tol.check(tol)
    }

    static func describe(_ classes: ClassLabels, _ k: Int) -> String {
        switch classes {
        case .numbers(let v): "\(v[k])"
        case .strings(let v): "\"\(v[k])\""
        }
    }

    /// Peak memory and work of a fit on `rows × columns` X with `classes` classes, from the
    /// solver's own sizes (the inputs not included):
    /// - memory: the partial sums of the blocked pass over X (one per 16,384-row block and their
    ///   total, each holding the gradient and the (r·q)² Hessian), a block's scratch (about
    ///   2 MiB at most, one per block running at once), the Hessians and factors Newton's method
    ///   holds at once (six (r·q)² arrays), the labels, weights and the model;
    /// - work: ``work(rows:columns:classes:counts:penalty:)`` of the counts Newton's method takes on the
    ///   grid of shapes the tests measure (12 Hessian evaluations, 4 gradient-only ones, 12
    ///   factorisations; at most `max_iter` + 2 Hessians). A fit that needs more steps is still
    ///   bounded by `max_iter`.
    public static func estimatedCost(rows n: Int, columns p: Int, classes k: Int, maxIter: Int, penalty: Penalty = .l2) -> ComputeCost {
        let hessians = min(maxIter + 2, 12)
        let assumed = LogisticSolverCounts(hessianEvaluations: hessians, gradientEvaluations: 4, factorizations: hessians)
        let flops = work(rows: n, columns: p, classes: k, counts: assumed, penalty: penalty)
        if solvesInSamplesSpace(rows: n, columns: p, classes: k, penalty: penalty) {
            let nd = Double(n), pd = Double(p), kd = Double(k), r = Double(k - 1), s = nd * kd
            // Two classes: K (n × n), the factor and its scratch (three n × n), the slopes and a
            // few n-vectors. K ≥ 3: K, two S of order n·K (the factor held and the next one
            // formed), the F blocks, the intercepts' r·n × r columns, the evaluation's n × K
            // arrays, and the K × p gradient, slopes and model.
            let doubles = k == 2 ? 4 * nd * nd + 2 * pd + 12 * nd
                : nd * nd + 2 * s * s + 2 * kd * s + 6 * r * r * nd + 10 * s + 4 * kd * (pd + 1)
            return ComputeCost(memoryBytes: 8 * doubles, flops: flops, drivenBy: "X: \(n) rows × \(p) columns, \(k) classes")
        }
        let q = p + 1, r = k <= 2 ? 1 : k - 1, kk = max(k, 2), m = Double(r * q)
        let blocks = Double(BlockedSum.blockCount(rows: n))
        let partial = 3 + Double(q * kk) + m * m
        let concurrent = min(blocks, Double(Parallel.coreCount))
        let scratch = Double(LogisticLoss.scratchSize(rows: min(n, BlockedSum.blockRows), terms: q, classes: kk))
        let doubles = (blocks + 1) * partial + concurrent * scratch + 6 * m * m + 3 * Double(n) + 4 * Double(q * kk)
        return ComputeCost(memoryBytes: 8 * doubles, flops: flops, drivenBy: "X: \(n) rows × \(p) columns, \(k) classes")
    }

    /// Floating-point operations of a fit that did `counts` (its ``Model/solverCounts``): per
    /// Hessian evaluation the products of the scaled rows (n·q² for each of the r diagonal pairs
    /// of directions, 2·n·q² for each of the r(r−1)/2 others: n·q²·r² in all), the scores and
    /// gradient (4·n·q·K) and the per-row softmax and Hessian weights; per gradient-only
    /// evaluation the scores and gradient; per factorisation (r·q)³/3. A fit solved in the
    /// samples' space (a penalty, more terms than samples, a Hessian over 32 MiB): K = XXᵀ once
    /// (n²·p); two classes, per evaluation two products with K and one with Xᵀ (4n² + 2n·p),
    /// per factorisation n³/3 and its solves; K ≥ 3 classes (s = n·K), per evaluation
    /// 4r·n² + 2K·n·p, per factorisation s²·K to form the system, s³/3 to factorise it and r + 1
    /// solves (and one per step; counted as r + 2).
    public static func work(rows n: Int, columns p: Int, classes k: Int, counts: LogisticSolverCounts, penalty: Penalty = .l2) -> Double {
        if solvesInSamplesSpace(rows: n, columns: p, classes: k, penalty: penalty) {
            let nd = Double(n), pd = Double(p)
            let evaluations = Double(counts.hessianEvaluations + counts.gradientEvaluations)
            if k == 2 {
                return nd * nd * pd + evaluations * (4 * nd * nd + 2 * nd * pd + 40 * nd)
                    + Double(counts.factorizations) * (nd * nd * nd / 3 + 8 * nd * nd)
            }
            let kd = Double(k), r = Double(k - 1), s = nd * kd
            return nd * nd * pd + evaluations * (4 * r * nd * nd + 2 * kd * nd * pd + 6 * s * r)
                + Double(counts.factorizations) * (s * s * kd + s * s * s / 3 + (r + 2) * (2 * r * nd * nd + 2 * s * s + 4 * s * kd))
        }
        let nd = Double(n), q = Double(p + 1), r = Double(k <= 2 ? 1 : k - 1), kd = Double(max(k, 2)), m = r * q
        let gradientPass = 4 * nd * q * kd + 30 * nd * kd
        let hessianPass = gradientPass + nd * q * q * r * r + 3 * nd * r * (r + 1) / 2 * kd
        let sampledPass = gradientPass + (nd * q * q * r * r + 3 * nd * r * (r + 1) / 2 * kd) / 4
        return Double(counts.hessianEvaluations - counts.sampledHessians) * hessianPass + Double(counts.sampledHessians) * sampledPass
            + Double(counts.gradientEvaluations) * gradientPass
            + Double(counts.factorizations) * m * m * m / 3
    }
}
