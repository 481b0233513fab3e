import SciLearn

/// Strict reading of `data`: the JSON boundary where arrays of rows become a column-major
/// ``Matrix``. Every message names the field, row and column (`data.X[3][2]`).
struct DataReader {
    let object: JSONObject
    let limits: ServiceLimits

    /// - Throws: `invalid_data` when `data` is missing, not an object, or holds an undeclared key.
    init(_ value: JSONValue?, allowed: [String], limits: ServiceLimits) throws(ServiceError) {
        self.limits = limits
        switch value {
        case .object(let o)?: object = o
        case nil, .null?: throw ServiceError(.invalidData, "data: is required for this task (an object with \(allowed.joined(separator: ", ")))")
        case let v?: throw ServiceError(.invalidData, "data: must be an object; got \(v.typeDescription)")
        }
        for key in object.keys where !allowed.contains(key) {
            throw .data(key, "unknown field\(Suggestion.hint(key, allowed)) (valid fields: \(allowed.joined(separator: ", ")))")
        }
    }

    /// A required matrix given as an array of rows of numbers.
    func matrix(_ key: String) throws(ServiceError) -> Matrix {
        guard let v = object[key] else { throw .data(key, "is required (an array of rows of numbers)") }
        guard case .array(let rows) = v else {
            throw .data(key, "must be an array of rows (arrays of numbers); got \(v.typeDescription)")
        }
        guard !rows.isEmpty else { throw .data(key, "must have at least 1 row") }
        guard case .array(let first) = rows[0] else {
            throw .data("\(key)[0]", "must be an array of numbers (a row); got \(rows[0].typeDescription)")
        }
        let n = rows.count, p = first.count
        let (cells, overflow) = n.multipliedReportingOverflow(by: p)
        guard !overflow, cells <= limits.maxCells else {
            throw ServiceError(.tooLarge, "data.\(key): \(n) rows × \(p) columns exceeds the limit of \(limits.maxCells) values")
        }
        var storage = [Double](repeating: 0, count: max(n, 1) * p)
        for (i, row) in rows.enumerated() {
            guard case .array(let values) = row else {
                throw .data("\(key)[\(i)]", "must be an array of numbers (a row); got \(row.typeDescription)")
            }
            guard values.count == p else {
                throw .data("\(key)[\(i)]", "has \(values.count) values but \(key)[0] has \(p); every row must have the same length")
            }
            for (j, e) in values.enumerated() {
                storage[i + j * n] = try Self.number(e, field: "\(key)[\(i)][\(j)]")
            }
        }
        return Matrix(rows: n, columns: p, columnMajor: storage)
    }

    /// A required vector of numbers, optionally of a given length.
    func vector(_ key: String, count: Int? = nil, countSource: String = "") throws(ServiceError) -> [Double] {
        guard let v = object[key] else { throw .data(key, "is required (an array of numbers)") }
        guard case .array(let values) = v else {
            throw .data(key, "must be an array of numbers; got \(v.typeDescription)")
        }
        if let count, values.count != count {
            throw .data(key, "has \(values.count) values but \(countSource) has \(count); they must match")
        }
        var out = [Double]()
        out.reserveCapacity(values.count)
        for (i, e) in values.enumerated() { out.append(try Self.number(e, field: "\(key)[\(i)]")) }
        return out
    }

    /// Optional `feature_names`: p distinct strings.
    func featureNames(columns p: Int) throws(ServiceError) -> [String]? {
        guard let v = object["feature_names"], v != .null else { return nil }
        guard case .array(let names) = v else { throw .data("feature_names", "must be an array of strings; got \(v.typeDescription)") }
        guard names.count == p else {
            throw .data("feature_names", "has \(names.count) names but X has \(p) columns; they must match")
        }
        var out: [String] = []
        for (i, e) in names.enumerated() {
            guard case .string(let s) = e, !s.isEmpty else {
                throw .data("feature_names[\(i)]", "must be a non-empty string; got \(Params.describe(e))")
            }
            guard !out.contains(s) else { throw .data("feature_names[\(i)]", "\"\(s)\" appears twice; names must be distinct") }
            out.append(s)
        }
        return out
    }

    static func number(_ e: JSONValue, field: @autoclosure () -> String) throws(ServiceError) -> Double {
        switch e {
        case .number(let x): return x
        case .null: throw .data(field(), "missing values are not supported; impute first")
        default: throw .data(field(), "must be a number; got \(Params.describe(e))")
        }
    }
}
