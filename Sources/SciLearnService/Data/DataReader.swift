import SciLearn

/// Strict reading of `data`: the JSON boundary where arrays of rows become a column-major
/// ``Matrix``. Every message names the field, row and column (`data.X[3][2]`).
///
/// Numeric arrays arrive packed by the parser (one flat buffer, no value tree) and are moved
/// into the engine's layout in one transpose; any other text goes through the value tree,
/// whose checks name the element at fault. Every numeric field is held to
/// ``ServiceLimits/maxCells``.
struct DataReader: Sendable {
    let data: RequestData
    let limits: ServiceLimits
    /// Fields given by reference, once read (``resolveReferences(fields:source:isCancelled:)``).
    var resolved: [String: ReferencedField] = [:]

    /// - Throws: `invalid_data` when `data` is missing, not an object, or holds an undeclared key.
    init(_ member: DataMember?, allowed: [String], limits: ServiceLimits) throws(ServiceError) {
        self.limits = limits
        switch member {
        case .object(let d)?: data = d
        case nil, .other(.null)?:
            throw ServiceError(.invalidData, "data: is required for this task (an object with \(allowed.joined(separator: ", ")))")
        case .other(let v)?: throw ServiceError(.invalidData, "data: must be an object; got \(v.typeDescription)")
        }
        for key in data.keys where !allowed.contains(key) {
            throw .data(key, "unknown field\(Suggestion.hint(key, allowed)) (valid fields: \(allowed.joined(separator: ", ")))")
        }
    }

    /// For a task that takes no data: `data` must be absent, null or `{}`.
    static func checkNoData(_ member: DataMember?) throws(ServiceError) {
        switch member {
        case nil, .other(.null)?: return
        case .object(let d)? where d.fields.isEmpty: return
        case .object(let d)?: throw .data(d.keys[0], "this task takes no data (data must be absent, null or {})")
        case .other(let v)?: throw ServiceError(.invalidData, "data: this task takes no data (absent, null or {}); got \(v.typeDescription)")
        }
    }

    func has(_ key: String) -> Bool {
        switch data[key] {
        case nil, .value(.null)?: false
        default: true
        }
    }

    /// A required matrix given as an array of rows of numbers, with at least one row and at
    /// least `minimumColumns` columns (the contract's rule: 1, as scikit-learn's "Found array
    /// with 0 feature(s)", except where the task's reference fits a model without features).
    func matrix(_ key: String, minimumColumns: Int = 1) throws(ServiceError) -> Matrix {
        let m = try anyMatrix(key)
        guard m.columns >= minimumColumns else {
            throw .data(key, "has no columns; at least one feature is required")
        }
        return m
    }

    private func anyMatrix(_ key: String) throws(ServiceError) -> Matrix {
        if let r = resolved[key] { return r.matrix }
        guard let field = data[key] else { throw .data(key, "is required (an array of rows of numbers)") }
        if case .packed(let p) = field, let columns = p.columns {
            try Self.checkCells(rows: p.rows, columns: columns, field: "data.\(key)", maxCells: limits.maxCells)
            do throws(SciLearnError) {
                return try Matrix.fromRowMajor(rows: p.rows, columns: columns, p.values)
            } catch {
                throw ServiceError(error)
            }
        }
        return try Self.matrix(field.jsonValue, key: key, code: .invalidData, prefix: "data.", maxCells: limits.maxCells)
    }

    /// A required vector of numbers, optionally of a given length.
    func vector(_ key: String, count: Int? = nil, countSource: String = "") throws(ServiceError) -> [Double] {
        if let r = resolved[key] {
            try Self.checkLength(r.matrix.rows, key: key, count: count, countSource: countSource)
            return r.matrix.storage
        }
        guard let field = data[key] else { throw .data(key, "is required (an array of numbers)") }
        if case .packed(let p) = field, p.columns == nil {
            try Self.checkLength(p.rows, key: key, count: count, countSource: countSource)
            try Self.checkCells(rows: p.rows, columns: 1, field: "data.\(key)", maxCells: limits.maxCells)
            return p.values
        }
        let v = field.jsonValue
        guard case .array(let values) = v else {
            throw .data(key, "must be an array of numbers; got \(v.typeDescription)")
        }
        try Self.checkLength(values.count, key: key, count: count, countSource: countSource)
        var out = [Double]()
        out.reserveCapacity(values.count)
        for (i, e) in values.enumerated() { out.append(try Self.number(e, field: "\(key)[\(i)]")) }
        return out
    }

    /// Class labels: all numbers or all strings (`y` of a classifier), at least one.
    func labels(_ key: String, count: Int? = nil, countSource: String = "") throws(ServiceError) -> Labels {
        if let r = resolved[key] {
            try Self.checkLength(r.matrix.rows, key: key, count: count, countSource: countSource)
            return .numbers(r.matrix.storage)
        }
        guard let field = data[key] else { throw .data(key, "is required (an array of class labels: numbers or strings)") }
        if case .packed(let p) = field, p.columns == nil {
            try Self.checkLength(p.rows, key: key, count: count, countSource: countSource)
            return .numbers(p.values)
        }
        let v = field.jsonValue
        guard case .array(let values) = v else { throw .data(key, "must be an array of class labels (numbers or strings); got \(v.typeDescription)") }
        try Self.checkLength(values.count, key: key, count: count, countSource: countSource)
        guard let first = values.first else { return .numbers([]) }
        if case .string = first {
            var out: [String] = []
            for (i, e) in values.enumerated() {
                if e == .null { throw .data("\(key)[\(i)]", "missing values are not supported; impute first") }
                guard case .string(let s) = e else {
                    throw .data("\(key)[\(i)]", "must be a string like \(key)[0] (labels are all numbers or all strings); got \(Params.describe(e))")
                }
                out.append(s)
            }
            return .strings(out)
        }
        var out: [Double] = []
        for (i, e) in values.enumerated() {
            switch e {
            case .number(let x): out.append(x)
            case .null: throw .data("\(key)[\(i)]", "missing values are not supported; impute first")
            case .bool: throw .data("\(key)[\(i)]", "must be a number or a string; got \(Params.describe(e)) (booleans are not read as class labels: send 1 and 0, or strings)")
            default: throw .data("\(key)[\(i)]", "must be a number like \(key)[0] (labels are all numbers or all strings); got \(Params.describe(e))")
            }
        }
        return .numbers(out)
    }

    /// A list of samples, each an array of numbers, of any lengths (`groups` of `f_oneway`).
    func samples(_ key: String) throws(ServiceError) -> [[Double]] {
        guard let field = data[key] else { throw .data(key, "is required (an array of samples, each an array of numbers)") }
        if case .packed(let p) = field, let c = p.columns {
            try Self.checkCells(rows: p.rows, columns: c, field: "data.\(key)", maxCells: limits.maxCells)
            return (0..<p.rows).map { Array(p.values[($0 * c)..<(($0 + 1) * c)]) }
        }
        let v = field.jsonValue
        guard case .array(let groups) = v else { throw .data(key, "must be an array of samples (arrays of numbers); got \(v.typeDescription)") }
        var out: [[Double]] = []
        var total = 0
        for (g, group) in groups.enumerated() {
            guard case .array(let values) = group else {
                throw .data("\(key)[\(g)]", "must be an array of numbers (a sample); got \(group.typeDescription)")
            }
            total += values.count
            try Self.checkCells(rows: total, columns: 1, field: "data.\(key)", maxCells: limits.maxCells)
            var sample: [Double] = []
            sample.reserveCapacity(values.count)
            for (i, e) in values.enumerated() { sample.append(try Self.number(e, field: "\(key)[\(g)][\(i)]")) }
            out.append(sample)
        }
        return out
    }

    /// A table of counts: a matrix of non-negative numbers, whole numbers when `integral`.
    func counts(_ key: String, integral: Bool) throws(ServiceError) -> Matrix {
        let m = try matrix(key)
        for j in 0..<m.columns {
            for i in 0..<m.rows {
                let v = m[i, j]
                if v < 0 { throw .data("\(key)[\(i)][\(j)]", "must be a non-negative count; got \(JSONWriter.number(v))") }
                if integral && v != v.rounded() { throw .data("\(key)[\(i)][\(j)]", "must be a whole number (a count); got \(JSONWriter.number(v))") }
            }
        }
        return m
    }

    /// Optional `feature_names`: p distinct strings.
    func featureNames(columns p: Int) throws(ServiceError) -> [String]? {
        // X read from CSV columns: its names, unless the request names the features itself.
        guard let field = data["feature_names"] else { return resolved["X"]?.names.flatMap { $0.count == p ? $0 : nil } }
        let v = field.jsonValue
        if v == .null { return nil }
        guard case .array(let names) = v else { throw .data("feature_names", "must be an array of strings; got \(v.typeDescription)") }
        guard names.count == p else {
            throw .data("feature_names", "has \(names.count) names but X has \(p) columns; they must match")
        }
        var out: [String] = []
        var seen = Set<String>()
        for (i, e) in names.enumerated() {
            guard case .string(let s) = e, !s.isEmpty else {
                throw .data("feature_names[\(i)]", "must be a non-empty string; got \(Params.describe(e))")
            }
            guard seen.insert(s).inserted else { throw .data("feature_names[\(i)]", "\"\(s)\" appears twice; names must be distinct") }
            out.append(s)
        }
        return out
    }

    // MARK: - Shared checks

    /// A matrix from a value tree (an array of rows of numbers), for `data` fields that were not
    /// packed and for matrix-valued params. `prefix` is `data.` or `params.`.
    static func matrix(_ v: JSONValue, key: String, code: ErrorCode, prefix: String, maxCells: Int) throws(ServiceError) -> Matrix {
        func error(_ field: String, _ message: String) -> ServiceError { ServiceError(code, "\(prefix)\(field): \(message)") }
        guard case .array(let rows) = v else {
            throw error(key, "must be an array of rows (arrays of numbers); got \(v.typeDescription)")
        }
        guard !rows.isEmpty else { throw error(key, "must have at least 1 row") }
        guard case .array(let first) = rows[0] else {
            throw error("\(key)[0]", "must be an array of numbers (a row); got \(rows[0].typeDescription)")
        }
        let n = rows.count, p = first.count
        try checkCells(rows: n, columns: p, field: "\(prefix)\(key)", maxCells: maxCells)
        var storage = [Double](repeating: 0, count: max(n, 1) * p)
        for (i, row) in rows.enumerated() {
            guard case .array(let values) = row else {
                throw error("\(key)[\(i)]", "must be an array of numbers (a row); got \(row.typeDescription)")
            }
            guard values.count == p else {
                throw error("\(key)[\(i)]", "has \(values.count) values but \(key)[0] has \(p); every row must have the same length")
            }
            for (j, e) in values.enumerated() {
                switch e {
                case .number(let x): storage[i + j * n] = x
                case .null: throw error("\(key)[\(i)][\(j)]", "missing values are not supported; impute first")
                default: throw error("\(key)[\(i)][\(j)]", notANumber(e))
                }
            }
        }
        return Matrix(rows: n, columns: p, columnMajor: storage)
    }

    static func checkCells(rows n: Int, columns p: Int, field: String, maxCells: Int) throws(ServiceError) {
        let (cells, overflow) = n.multipliedReportingOverflow(by: p)
        guard !overflow, cells <= maxCells else {
            throw ServiceError(.tooLarge, "\(field): \(n) rows × \(p) columns exceeds the limit of \(maxCells) values")
        }
    }

    static func checkLength(_ n: Int, key: String, count: Int?, countSource: String) throws(ServiceError) {
        if let count, n != count {
            throw .data(key, "has \(n) values but \(countSource) has \(count); they must match")
        }
    }

    static func number(_ e: JSONValue, field: @autoclosure () -> String) throws(ServiceError) -> Double {
        switch e {
        case .number(let x): return x
        case .null: throw .data(field(), "missing values are not supported; impute first")
        default: throw .data(field(), notANumber(e))
        }
    }

    /// What a non-number where a number belongs is told: the contract's one rule, booleans
    /// included (they are refused, not read as 1 or 0).
    static func notANumber(_ e: JSONValue) -> String {
        if case .bool = e { return "must be a number; got \(Params.describe(e)) (a boolean is not read as a number: send 1 or 0)" }
        return "must be a number; got \(Params.describe(e))"
    }
}
