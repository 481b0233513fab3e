extension KMeans {
    /// A fitted k-means clustering (scikit-learn's fitted `KMeans` attributes).
    public struct Model: Sendable, Codable, Equatable {
        /// The centres, k × d (`cluster_centers_`).
        public let centers: Matrix
        /// The cluster of each training row (`labels_`): its nearest final centre.
        public let labels: [Int]
        /// Σᵢ wᵢ‖xᵢ − c_{l(i)}‖² of the kept run (`inertia_`).
        public let inertia: Double
        /// Lloyd iterations of the kept run (`n_iter_`).
        public let iterations: Int
        /// Rows in each cluster.
        public let clusterSizes: [Int]
        /// What the caller should know: explicit centres with n_init > 1, fewer distinct clusters
        /// than asked (scikit-learn's `ConvergenceWarning`), `max_iter` reached.
        public let warnings: [String]

        /// The nearest centre of each row of `x` (scikit-learn `predict`).
        public func predict(_ x: Matrix) throws(SciLearnError) -> [Int] {
            try KMeans.nearestCenters(x, centers: centers)
        }
    }

    /// The nearest of `centers` (k × d) for each row of `x` (n × d), ties to the lower index:
    /// what `predict` of a fitted model computes, from its centres alone.
    ///
    /// - Throws: `invalidData` naming `X` (columns not d, a non-finite value) or `model`'s
    ///   centres (empty, not finite).
    /// - Complexity: 2·n·k·d flops in one pass (`LloydPass`).
    public static func nearestCenters(_ x: Matrix, centers: Matrix) throws(SciLearnError) -> [Int] {
        BLASThreading.pinSingleThreaded()
        let k = centers.rows, d = centers.columns
        guard k >= 1, d >= 1 else { throw .invalidData("model", "has no cluster centres") }
        guard x.columns == d else { throw .invalidData("X", "has \(x.columns) columns; the model's centres have \(d)") }
        if x.rows == 0 { return [] }
        _ = try Validation.finiteColumnMaxima(x, name: "X")
        var flat = [Double](repeating: 0, count: k * d)
        for c in 0..<k {
            for j in 0..<d {
                let v = centers[c, j]
                guard v.isFinite else { throw .invalidData("model", "cluster centre \(c) is not finite") }
                flat[c * d + j] = v
            }
        }
        let data = KMeansData(uncentred: x)
        return try LloydPass.labels(data, centers: flat, clusters: k).map(Int.init)
    }
}
