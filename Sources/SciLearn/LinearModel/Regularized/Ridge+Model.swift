extension Ridge {
    /// A fitted ridge model for one target (scikit-learn `coef_`, `intercept_`).
    public struct Model: Sendable, Codable, Hashable {
        /// One coefficient per column of X.
        public var coefficients: [Double]
        /// The intercept (0 when not fitted).
        public var intercept: Double
        /// Whether the intercept was fitted.
        public var fitIntercept: Bool
        /// The solver the shape (and conditioning) chose.
        public var solver: Solver

        /// A model from its parts.
        public init(coefficients: [Double], intercept: Double, fitIntercept: Bool, solver: Solver) {
            self.coefficients = coefficients
            self.intercept = intercept
            self.fitIntercept = fitIntercept
            self.solver = solver
        }

        /// `X w + b` for new samples.
        ///
        /// - Complexity: O(n·p), one GEMV.
        public func predict(_ x: Matrix) throws(SciLearnError) -> [Double] {
            try LinearPredictor(coefficients: coefficients, intercept: intercept).predict(x)
        }
    }

    /// A fitted ridge model for k targets.
    public struct MultiTargetModel: Sendable, Codable, Equatable {
        /// p × k: column t holds target t's coefficients (scikit-learn's `coef_.T`).
        public var coefficients: Matrix
        /// One intercept per target.
        public var intercepts: [Double]
        /// Whether the intercepts were fitted.
        public var fitIntercept: Bool
        /// The solver the shape (and conditioning) chose.
        public var solver: Solver
    }
}
