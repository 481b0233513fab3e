extension MiniBatchKMeans {
    /// A fitted mini-batch k-means clustering (scikit-learn's fitted `MiniBatchKMeans`
    /// attributes).
    public struct Model: Sendable, Codable, Equatable {
        /// Why the steps ended.
        public enum Stop: String, Sendable, Codable, Equatable {
            /// All (max_iter · n) / batch_size steps ran.
            case steps
            /// A step moved the centres by at most `tol` (scaled).
            case tol
            /// `max_no_improvement` steps in a row did not lower the smoothed batch inertia.
            case noImprovement
        }

        /// The centres, k × d (`cluster_centers_`).
        public let centers: Matrix
        /// The nearest final centre of each training row (`labels_`).
        public let labels: [Int]
        /// Σᵢ wᵢ‖xᵢ − c_{l(i)}‖² over all rows, to the final centres (`inertia_`).
        public let inertia: Double
        /// Passes over the data the steps added up to, rounded up (`n_iter_`).
        public let iterations: Int
        /// Batches drawn (`n_steps_`).
        public let steps: Int
        /// Why the steps ended.
        public let stoppedBy: Stop
        /// Rows nearest to each centre.
        public let clusterSizes: [Int]
        /// What the caller should know: explicit centres with n_init > 1, `init_size` below
        /// `n_clusters`, centres nearest to no row.
        public let warnings: [String]

        /// The nearest centre of each row of `x` (scikit-learn `predict`).
        public func predict(_ x: Matrix) throws(SciLearnError) -> [Int] {
            try KMeans.nearestCenters(x, centers: centers)
        }
    }
}
