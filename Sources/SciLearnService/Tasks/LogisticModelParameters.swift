import SciLearn

/// A logistic regression read back from its fit's result (`classes`, `coef`, `intercept`,
/// `terms`): what `predict` needs to give labels and class probabilities.
struct LogisticModelParameters: FittedModel {
    let model: LogisticRegression.Model
    let terms: [String]?

    static let use = ModelUse(verb: .predict) { (result, path) throws(ServiceError) in
        let wire = try ModelDecoder.decode(Wire.self, from: result, path: path)
        return try LogisticModelParameters(wire, path: path)
    }

    struct Wire: Decodable {
        var classes: WireClasses
        var coef: [[Double]]
        var intercept: [Double]
        var terms: [String]?
    }

    init(_ wire: Wire, path: String) throws(ServiceError) {
        let k = wire.classes.labels.count
        guard k >= 2 else { throw .params("\(path.dropFirst("params.".count)).classes", "must list at least two classes") }
        let rows = k == 2 ? 1 : k
        guard wire.coef.count == rows else {
            throw ServiceError(.invalidParams, "\(path).coef: must have \(rows) row\(rows == 1 ? "" : "s") for \(k) classes; got \(wire.coef.count)")
        }
        let p = wire.coef[0].count
        for (i, row) in wire.coef.enumerated() where row.count != p {
            throw ServiceError(.invalidParams, "\(path).coef[\(i)]: has \(row.count) values but coef[0] has \(p); every row must have the same length")
        }
        guard wire.intercept.count == rows else {
            throw ServiceError(.invalidParams, "\(path).intercept: must have \(rows) value\(rows == 1 ? "" : "s") (one per row of coef); got \(wire.intercept.count)")
        }
        var coef = Matrix(rows: rows, columns: p)
        for r in 0..<rows { for j in 0..<p { coef[r, j] = wire.coef[r][j] } }
        model = LogisticRegression.Model(classes: wire.classes.labels, coefficients: coef, intercepts: wire.intercept)
        terms = wire.terms
    }

    var featureCount: Int { model.coefficients.columns }
    var featureNames: [String]? { LinearTerms.featureNames(terms: terms, count: featureCount) }

    func cost(rows: Int) -> ComputeCost {
        let k = Double(model.classes.count)
        return ComputeCost(memoryBytes: 8 * Double(rows) * (3 * k + 2) + 40 * Double(rows) * k,
                           flops: 2 * Double(rows) * Double(featureCount) * k + 20 * Double(rows) * k,
                           drivenBy: "X: \(rows) rows × \(featureCount) columns")
    }

    func apply(_ x: Matrix) throws(ServiceError) -> TaskOutput {
        let probabilities: Matrix
        do throws(SciLearnError) { probabilities = try model.probabilities(x) } catch { throw ServiceError(error) }
        let best = model.predictedIndices(probabilities: probabilities)
        let labels: ClassLabels
        switch model.classes {
        case .numbers(let v): labels = .numbers(best.map { v[$0] })
        case .strings(let v): labels = .strings(best.map { v[$0] })
        }
        let k = model.classes.count
        var warnings = ResultWarnings([])
        let rows = warnings.withinRange((0..<x.rows).map { i in (0..<k).map { probabilities[i, $0] } }, "probabilities")
        return try TaskOutput(PredictTask.Result(predictions: .labels(labels), probabilities: rows), warnings: warnings.all)
    }
}
