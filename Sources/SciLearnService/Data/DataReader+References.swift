import SciLearn

/// Data fields given by reference (`{"url": ..., "columns": [...]}` or `"column"`): resolved
/// once per request, before the task reads its fields, into the same column-major buffers inline
/// fields become. Each distinct `url` is opened once; its header is checked (the named columns
/// exist, the `.npy` shape fits the field and the cell limit) before any value is read.
extension DataReader {
    /// A field read from a reference: its values as a matrix (a vector field is one column) and,
    /// for CSV, the columns' names (`feature_names` default to them).
    struct ReferencedField: Sendable {
        var matrix: Matrix
        var names: [String]?
    }

    /// The reference object's keys.
    static let referenceKeys = ["url", "format", "columns", "column"]

    /// The reference of field `key` when its value is an object with a `url`, else nil.
    func reference(_ key: String) -> JSONObject? {
        if case .value(.object(let o))? = data[key] { return o }
        return nil
    }

    /// Reads every field given by reference through `source`.
    /// - Throws: `invalid_data` naming the field (and the reference's member at fault) when the
    ///   reference is malformed, not allowed, missing or does not fit the field; `too_large` past
    ///   the cell limit; `invalid_data` when references are used and no source is configured.
    mutating func resolveReferences(fields: [DataFieldInfo], source: (any DataSource)?, isCancelled: @escaping @Sendable () -> Bool) throws(ServiceError) {
        struct Wanted { var key: String; var shape: DataFieldInfo.Shape; var format: DataFormat; var columns: [String]? }
        var byURL: [(url: String, wanted: [Wanted])] = []
        for info in fields {
            guard let o = reference(info.key) else { continue }
            let key = info.key
            for member in o.keys where !Self.referenceKeys.contains(member) {
                throw .data("\(key).\(member)", "unknown member of a reference\(Suggestion.hint(member, Self.referenceKeys)) (a reference has url, format, and columns or column)")
            }
            guard let urlValue = o["url"] else {
                throw .data("\(key)", "an object here must be a reference with a \"url\" (file:///PATH or s3://BUCKET/KEY); it has none")
            }
            guard case .string(let url) = urlValue, !url.isEmpty else {
                throw .data("\(key).url", "must be a string: file:///PATH or s3://BUCKET/KEY; got \(Params.describe(urlValue))")
            }
            guard [.matrix, .vector, .labels, .counts].contains(info.shape) else {
                throw .data("\(key)", "cannot be given by reference (only matrices and vectors can); send it inline")
            }
            let format = try Self.format(o["format"], url: url, key: key)
            var columns: [String]? = nil
            switch format {
            case .csv:
                if info.shape.isMatrix {
                    if o["column"] != nil { throw .data("\(key).column", "\(key) is a matrix: name its CSV columns with \"columns\" (a list)") }
                    columns = try Self.names(o["columns"], field: "\(key).columns")
                } else {
                    if o["columns"] != nil { throw .data("\(key).columns", "\(key) is a vector: name its CSV column with \"column\" (one name)") }
                    switch o["column"] {
                    case .string(let c)? where !c.isEmpty: columns = [c]
                    case nil, .null?: throw .data("\(key).column", "is required for a CSV reference: the name of the column that holds \(key)")
                    case let v?: throw .data("\(key).column", "must be a column name (a non-empty string); got \(Params.describe(v))")
                    }
                }
            case .npy:
                for member in ["columns", "column"] where o[member] != nil {
                    throw .data("\(key).\(member)", "a .npy reference holds the whole field; \(member) is for CSV")
                }
            }
            let wanted = Wanted(key: key, shape: info.shape, format: format, columns: columns)
            if let i = byURL.firstIndex(where: { $0.url == url }) {
                if let other = byURL[i].wanted.first, other.format != format {
                    throw .data("\(key).format", "\(url) is read as \(other.format.rawValue) for \(other.key); one url has one format")
                }
                byURL[i].wanted.append(wanted)
            } else {
                byURL.append((url, [wanted]))
            }
        }
        if byURL.isEmpty { return }
        guard let source else {
            let key = byURL[0].wanted[0].key
            throw .data("\(key).url", "data by reference is not enabled here: the operator allows it with --data-root DIR (file://) or --data-bucket BUCKET (s3://), for Lambda SCILEARN_DATA_ROOTS / SCILEARN_DATA_BUCKETS; send the data inline")
        }
        var cellsLeft = limits.maxCells
        for (url, wanted) in byURL {
            let first = wanted[0].key
            func failure(_ e: DataSourceError, _ key: String) -> ServiceError {
                switch e.kind {
                case .tooLarge: ServiceError(.tooLarge, "data.\(key): \(e.message)")
                case .cancelled: ServiceError(SciLearnError(.cancelled, field: nil, "cancelled while data.\(key) was read"))
                case .invalid: .data("\(key).url", "\(url): \(e.message)")
                }
            }
            let table: any DataTable
            do throws(DataSourceError) { table = try source.open(url, format: wanted[0].format) } catch { throw failure(error, first) }
            switch table.header {
            case .columns(let header):
                // Every column any field names, each read once, in first-named order.
                var indices: [Int] = []
                for w in wanted {
                    for (j, name) in (w.columns ?? []).enumerated() {
                        guard let index = header.firstIndex(of: name) else {
                            let field = w.shape.isMatrix ? "\(w.key).columns[\(j)]" : "\(w.key).column"
                            throw .data(field, "\(url) has no column \"\(name)\"\(Suggestion.hint(name, header)) (its columns: \(Self.list(header)))")
                        }
                        if !indices.contains(index) { indices.append(index) }
                    }
                }
                let read: (rows: Int, values: [Double])
                do throws(DataSourceError) {
                    read = try table.read(columns: indices, maxCells: cellsLeft, isCancelled: isCancelled)
                } catch { throw failure(error, first) }
                guard read.rows >= 1 else { throw .data("\(first).url", "\(url) has a header but no rows of data") }
                cellsLeft -= read.rows * indices.count
                for w in wanted {
                    let names = w.columns ?? []
                    let order = names.map { indices.firstIndex(of: header.firstIndex(of: $0)!)! }
                    if wanted.count == 1 && order == Array(0..<indices.count) {
                        // The one field takes every column read, in order: no copy.
                        resolved[w.key] = ReferencedField(matrix: Matrix(rows: read.rows, columns: names.count, columnMajor: read.values), names: names)
                        continue
                    }
                    var storage = [Double](repeating: 0, count: read.rows * names.count)
                    for (j, name) in names.enumerated() {
                        let k = indices.firstIndex(of: header.firstIndex(of: name)!)!
                        for i in 0..<read.rows { storage[i + j * read.rows] = read.values[i + k * read.rows] }
                    }
                    resolved[w.key] = ReferencedField(matrix: Matrix(rows: read.rows, columns: names.count, columnMajor: storage), names: names)
                }
            case .shape(let shape):
                for w in wanted {
                    let isMatrix = w.shape.isMatrix
                    if isMatrix && shape.count != 2 {
                        throw .data("\(w.key).url", "\(url) holds an array of shape \(Self.tuple(shape)); \(w.key) is a matrix: a 2-D array (rows, columns)")
                    }
                    if !isMatrix && !(shape.count == 1 || (shape.count == 2 && shape[1] == 1)) {
                        throw .data("\(w.key).url", "\(url) holds an array of shape \(Self.tuple(shape)); \(w.key) is a vector: a 1-D array")
                    }
                }
                let rows = shape[0], columns = shape.count == 2 ? shape[1] : 1
                guard rows >= 1 else { throw .data("\(first).url", "\(url) holds an array of shape \(Self.tuple(shape)): no rows") }
                try Self.checkCells(rows: rows, columns: columns, field: "data.\(first)", maxCells: cellsLeft)
                let read: (rows: Int, values: [Double])
                do throws(DataSourceError) {
                    read = try table.read(columns: nil, maxCells: cellsLeft, isCancelled: isCancelled)
                } catch { throw failure(error, first) }
                cellsLeft -= rows * columns
                for w in wanted {
                    resolved[w.key] = ReferencedField(matrix: Matrix(rows: read.rows, columns: columns, columnMajor: read.values), names: nil)
                }
            }
        }
    }

    /// The format named by `format`, else the url's extension (`.csv`, `.npy`).
    static func format(_ value: JSONValue?, url: String, key: String) throws(ServiceError) -> DataFormat {
        switch value {
        case nil, .null?:
            // A compressed file's format is the name's before `.gz` (gzip itself is recognised by
            // its first bytes when the file is read).
            var path = url.lowercased()
            if path.hasSuffix(".gz") { path = String(path.dropLast(3)) }
            for f in DataFormat.allCases where path.hasSuffix(".\(f.rawValue)") { return f }
            throw .data("\(key).format", "cannot tell the format of \(url) from its name; give \"format\": \"csv\" or \"npy\"")
        case .string(let s)?:
            guard let f = DataFormat(rawValue: s) else {
                throw .data("\(key).format", "must be \"csv\" or \"npy\"\(Suggestion.hint(s, DataFormat.allCases.map(\.rawValue))); got \"\(s)\"")
            }
            return f
        case let v?:
            throw .data("\(key).format", "must be \"csv\" or \"npy\"; got \(Params.describe(v))")
        }
    }

    /// A non-empty list of distinct, non-empty column names.
    static func names(_ value: JSONValue?, field: String) throws(ServiceError) -> [String] {
        guard case .array(let items)? = value, !items.isEmpty else {
            let got = value.map { "; got \(Params.describe($0))" } ?? ""
            throw .data(field, "is required for a CSV reference: a non-empty list of column names\(got)")
        }
        var out: [String] = []
        for (i, e) in items.enumerated() {
            guard case .string(let s) = e, !s.isEmpty else { throw .data("\(field)[\(i)]", "must be a column name (a non-empty string); got \(Params.describe(e))") }
            guard !out.contains(s) else { throw .data("\(field)[\(i)]", "\"\(s)\" appears twice; name each column once") }
            out.append(s)
        }
        return out
    }

    static func list(_ names: [String]) -> String {
        names.count <= 12 ? names.map { "\"\($0)\"" }.joined(separator: ", ") : names.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ") + ", … (\(names.count) in all)"
    }

    static func tuple(_ shape: [Int]) -> String { DataTableHeader.shapeText(shape) }
}
