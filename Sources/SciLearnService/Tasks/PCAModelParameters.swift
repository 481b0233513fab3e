import SciLearn

/// A PCA read back from its fit's result (`components`, `explained_variance`, `mean`,
/// `whiten`): what `transform` needs to project new rows, whitened when the fit was.
struct PCAModelParameters: FittedModel {
    let model: PCA.Model

    static let use = ModelUse(verb: .transform) { (result, path) throws(ServiceError) in
        let wire = try ModelDecoder.decode(Wire.self, from: result, path: path)
        return try PCAModelParameters(wire, path: path)
    }

    struct Wire: Decodable {
        var components: [[Double]]
        var explained_variance: [Double]
        var mean: [Double]
        var whiten: Bool
    }

    init(_ wire: Wire, path: String) throws(ServiceError) {
        let components = try ModelDecoder.rows(wire.components, key: "components", noun: "component", path: path)
        let k = components.rows, p = components.columns
        guard wire.mean.count == p else {
            throw ServiceError(.invalidParams, "\(path).mean: has \(wire.mean.count) values but the components have \(p); one mean per feature")
        }
        guard wire.explained_variance.count == k else {
            throw ServiceError(.invalidParams, "\(path).explained_variance: has \(wire.explained_variance.count) values but there are \(k) components")
        }
        for (i, v) in wire.explained_variance.enumerated() where !(v >= 0) {
            throw ServiceError(.invalidParams, "\(path).explained_variance[\(i)]: must be a number >= 0; got \(v)")
        }
        model = PCA.Model(components: components, explainedVariance: wire.explained_variance,
                          explainedVarianceRatio: [Double](repeating: 0, count: k), singularValues: [Double](repeating: 0, count: k),
                          mean: wire.mean, noiseVariance: 0, whiten: wire.whiten, solver: .auto, nSamples: 0)
    }

    var featureCount: Int { model.components.columns }
    var featureNames: [String]? { nil }

    func cost(rows: Int) -> ComputeCost {
        var cost = PCA.transformCost(rows: rows, columns: model.components.columns, components: model.nComponents)
        cost.memoryBytes += 40 * Double(rows) * Double(model.nComponents)  // the response's numbers as text
        return cost
    }

    func apply(_ x: Matrix) throws(ServiceError) -> TaskOutput {
        let t: Matrix
        do throws(SciLearnError) { t = try model.transform(x) } catch { throw ServiceError(error) }
        return try TaskOutput(TransformTask.Result(transformed: t.rowArrays), warnings: [])
    }
}
