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

    /// `classes`: all numbers or all strings.
    struct WireClasses: Decodable {
        let labels: ClassLabels
        init(from decoder: any Decoder) throws {
            if let strings = try? [String](from: decoder) {
                labels = .strings(strings)
            } else {
                labels = .numbers(try [Double](from: decoder))
            }
        }
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
        let probabilities: Matrix, best: [Int]
        do throws(SciLearnError) {
            probabilities = try model.probabilities(x)
            best = (0..<x.rows).map { i in
                var b = 0
                for c in 1..<model.classes.count where probabilities[i, c] > probabilities[i, b] { b = c }
                return b
            }
        } catch { throw ServiceError(error) }
        let predictions: JSONValue
        switch model.classes {
        case .numbers(let v): predictions = .array(best.map { .number(v[$0]) })
        case .strings(let v): predictions = .array(best.map { .string(v[$0]) })
        }
        let k = model.classes.count
        let rows: [JSONValue] = (0..<x.rows).map { i in .numbers((0..<k).map { probabilities[i, $0] }) }
        var warnings: [String] = []
        if (0..<x.rows).contains(where: { i in (0..<k).contains { !probabilities[i, $0].isFinite } }) {
            warnings.append("some probabilities are not finite (coefficients beyond the range of a double) and are reported null")
        }
        return TaskOutput(result: ["predictions": predictions, "probabilities": .array(rows)], warnings: warnings)
    }

    static func json(_ classes: ClassLabels) -> JSONValue {
        switch classes {
        case .numbers(let v): .array(v.map { .number($0) })
        case .strings(let v): .array(v.map { .string($0) })
        }
    }
}
