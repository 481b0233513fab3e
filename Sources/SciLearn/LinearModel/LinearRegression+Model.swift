extension LinearRegression {
    /// A fitted ordinary least squares model: coefficients, intercept and full inference.
    public struct Model: Sendable, Codable, Hashable {
        /// Slopes, one per column of X (scikit-learn `coef_`).
        public var coefficients: [Double]
        /// The intercept (0 when not fitted).
        public var intercept: Double
        /// Whether the intercept was fitted.
        public var fitIntercept: Bool
        /// Per-term statistics (intercept first when fitted) and model statistics.
        public var inference: Inference
        /// Numerical rank of the design including the intercept column.
        public var rank: Int
        /// Rows of X the model was fitted on.
        public var nSamples: Int
        /// Conditions a user should know of (rank deficiency, undefined statistics).
        public var warnings: [String]

        /// A model from its parts (as ``LinearRegression/fit(_:_:)`` builds it, or decoded).
        public init(coefficients: [Double], intercept: Double, fitIntercept: Bool, inference: Inference,
                    rank: Int, nSamples: Int, warnings: [String]) {
            self.coefficients = coefficients
            self.intercept = intercept
            self.fitIntercept = fitIntercept
            self.inference = inference
            self.rank = rank
            self.nSamples = nSamples
            self.warnings = warnings
        }

        /// `X b + intercept` for new samples.
        ///
        /// - Throws: `invalidData` when X has the wrong number of columns or non-finite values.
        /// - Complexity: O(n·p), one GEMV.
        public func predict(_ x: Matrix) throws(SciLearnError) -> [Double] {
            try LinearPredictor(coefficients: coefficients, intercept: intercept).predict(x)
        }
    }
}
