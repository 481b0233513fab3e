import SciLearn

/// A k-means clustering read back from its fit's result (`cluster_centers`): what `predict`
/// needs to give each row its nearest centre.
struct KMeansModelParameters: FittedModel {
    let centers: Matrix

    static let use = ModelUse(verb: .predict) { (result, path) throws(ServiceError) in
        let wire = try ModelDecoder.decode(Wire.self, from: result, path: path)
        return try KMeansModelParameters(wire, path: path)
    }

    struct Wire: Decodable {
        var cluster_centers: [[Double]]
    }

    init(_ wire: Wire, path: String) throws(ServiceError) {
        centers = try ModelDecoder.rows(wire.cluster_centers, key: "cluster_centers", noun: "centre", path: path)
    }

    var featureCount: Int { centers.columns }
    var featureNames: [String]? { nil }

    func cost(rows: Int) -> ComputeCost {
        let n = Double(rows), d = Double(centers.columns), k = Double(centers.rows)
        return ComputeCost(memoryBytes: 8 * n * (d + 2) + 24 * n, flops: 2 * n * k * d,
                           drivenBy: "X: \(rows) rows × \(centers.columns) columns, \(centers.rows) centres")
    }

    func apply(_ x: Matrix) throws(ServiceError) -> TaskOutput {
        let labels: [Int]
        do throws(SciLearnError) { labels = try KMeans.nearestCenters(x, centers: centers) } catch { throw ServiceError(error) }
        return try TaskOutput(PredictTask.Result(predictions: .labels(.numbers(labels.map(Double.init))), probabilities: nil), warnings: [])
    }
}
