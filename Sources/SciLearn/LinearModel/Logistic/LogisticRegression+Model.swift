#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLapack

extension LogisticRegression {
    /// A fitted logistic regression.
    public struct Model: Sendable, Codable, Equatable {
        /// The classes, sorted (scikit-learn `classes_`).
        public var classes: ClassLabels
        /// One row for two classes (the second class's log-odds), one per class otherwise
        /// (scikit-learn `coef_`).
        public var coefficients: Matrix
        /// One per row of `coefficients` (0 when not fitted).
        public var intercepts: [Double]
        /// Whether the intercepts were fitted.
        public var fitIntercept: Bool
        /// Newton steps taken.
        public var iterations: Int
        /// What the solver did (passes over X, factorisations).
        public var solverCounts: LogisticSolverCounts
        /// Whether scikit-learn's gradient test was met.
        public var converged: Bool
        /// statsmodels `Logit` inference: two classes, no penalty.
        public var inference: Inference?
        /// Conditions a user should know of (non-convergence, quasi-separation, undefined statistics).
        public var warnings: [String]

        /// A model from its parts; a model rebuilt from serialised parameters (a fit response's
        /// `classes`, `coef`, `intercept`) needs only the first three.
        ///
        /// - Precondition: `coefficients` has one row for two classes, one per class otherwise,
        ///   and `intercepts` one value per row.
        public init(classes: ClassLabels, coefficients: Matrix, intercepts: [Double], fitIntercept: Bool = true,
                    iterations: Int = 0, converged: Bool = true, inference: Inference? = nil, warnings: [String] = [],
                    solverCounts: LogisticSolverCounts = LogisticSolverCounts()) {
            precondition(coefficients.rows == (classes.count == 2 ? 1 : classes.count) && intercepts.count == coefficients.rows,
                         "one coefficient row (and intercept) for two classes, one per class otherwise")
            self.classes = classes
            self.coefficients = coefficients
            self.intercepts = intercepts
            self.fitIntercept = fitIntercept
            self.iterations = iterations
            self.solverCounts = solverCounts
            self.converged = converged
            self.inference = inference
            self.warnings = warnings
        }

        /// Class probabilities, n × K (scikit-learn `predict_proba`).
        ///
        /// - Throws: `invalidData` when X has the wrong number of columns or non-finite values.
        /// - Complexity: O(n·p·K), one GEMM.
        public func probabilities(_ x: Matrix) throws(SciLearnError) -> Matrix {
            let p = coefficients.columns, rows = coefficients.rows, k = classes.count, n = x.rows
            guard x.columns == p else {
                throw .invalidData("X", "has \(x.columns) columns but the model was fitted on \(p)")
            }
            BLASThreading.pinSingleThreaded()
            _ = try Validation.finiteColumnMaxima(x, name: "X")
            var scores = Matrix(rows: n, columns: rows)
            for t in 0..<rows { for i in 0..<n { scores[i, t] = intercepts[t] } }
            if n > 0 && p > 0 {
                x.withUnsafeBufferPointer { xs in
                    coefficients.withUnsafeBufferPointer { cs in
                        scores.storage.withUnsafeMutableBufferPointer { sp in
                            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(rows), Int32(p), 1.0,
                                        xs.baseAddress, Int32(x.leadingDimension), cs.baseAddress, Int32(coefficients.leadingDimension),
                                        1.0, sp.baseAddress, Int32(max(n, 1)))
                        }
                    }
                }
            }
            var out = Matrix(rows: n, columns: k)
            for i in 0..<n {
                if k == 2 {
                    // σ(η) and 1 − σ(η), each without cancellation.
                    let eta = scores[i, 0]
                    out[i, 1] = eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
                    out[i, 0] = eta >= 0 ? exp(-eta) / (1 + exp(-eta)) : 1 / (1 + exp(eta))
                } else {
                    var top = -Double.infinity
                    for c in 0..<k { top = max(top, scores[i, c]) }
                    var sum = 0.0
                    for c in 0..<k { let e = exp(scores[i, c] - top); out[i, c] = e; sum += e }
                    for c in 0..<k { out[i, c] /= sum }
                }
            }
            return out
        }

        /// The most probable class of each sample, as an index into `classes` (the first on ties,
        /// as numpy's `argmax`).
        public func predictedIndices(_ x: Matrix) throws(SciLearnError) -> [Int] {
            predictedIndices(probabilities: try probabilities(x))
        }

        /// The most probable class of each row of `prob` (n × K, from ``probabilities(_:)``), the
        /// first on ties.
        public func predictedIndices(probabilities prob: Matrix) -> [Int] {
            (0..<prob.rows).map { i in
                var best = 0
                for c in 1..<prob.columns where prob[i, c] > prob[i, best] { best = c }
                return best
            }
        }
    }
}
