import SciLearn

/// Reads a fitted model back from a fit's result (a `predict` / `transform` request's
/// `params.model.result`) into the task's model type: the inverse of ``ResultEncoder``, with the
/// same snake_case names. Every error is `invalid_params` naming the field by its wire path
/// (`params.model.result.coef[1]: must be a number; got the string "x"`).
enum ModelDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, path: String) throws(ServiceError) -> T {
        do {
            return try T(from: Decoder(value: value, codingPath: [], root: path))
        } catch let e as ServiceError {
            throw e
        } catch {
            throw ServiceError(.invalidParams, "\(path): could not be read as a fitted model: \(error)")
        }
    }

    /// A fitted model's matrix read back (`cluster_centers`, `components`): at least one row of
    /// at least one number, every row as long as the first; errors name `path.key[i]` and call a
    /// row `noun` ("centre", "component").
    static func rows(_ rows: [[Double]], key: String, noun: String, path: String) throws(ServiceError) -> Matrix {
        guard let width = rows.first?.count, width >= 1 else {
            throw ServiceError(.invalidParams, "\(path).\(key): must hold at least one \(noun) of at least one number")
        }
        for (i, row) in rows.enumerated() where row.count != width {
            throw ServiceError(.invalidParams, "\(path).\(key)[\(i)]: has \(row.count) values but \(key)[0] has \(width); every \(noun) must have the same length")
        }
        return Matrix(rows: rows)
    }

    static func path(_ root: String, _ codingPath: [any CodingKey]) -> String {
        var out = root
        for k in codingPath {
            if let i = k.intValue { out += "[\(i)]" } else { out += "." + ResultEncoder.snakeCase(k.stringValue) }
        }
        return out
    }

    static func mismatch(_ what: String, _ got: JSONValue, _ root: String, _ codingPath: [any CodingKey]) -> ServiceError {
        ServiceError(.invalidParams, "\(path(root, codingPath)): must be \(what); got \(Params.describe(got))")
    }

    struct Decoder: Swift.Decoder {
        let value: JSONValue
        let codingPath: [any CodingKey]
        let root: String
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let o) = value else { throw mismatch("an object", value, root, codingPath) }
            return KeyedDecodingContainer(Keyed<Key>(object: o, codingPath: codingPath, root: root))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let a) = value else { throw mismatch("an array", value, root, codingPath) }
            return Unkeyed(values: a, codingPath: codingPath, root: root)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath, root: root) }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let object: JSONObject
        let codingPath: [any CodingKey]
        let root: String
        var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

        private func name(_ key: Key) -> String { ResultEncoder.snakeCase(key.stringValue) }

        func contains(_ key: Key) -> Bool { object[name(key)] != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            switch object[name(key)] {
            case nil, .null?: true
            default: false
            }
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let v = object[name(key)] else {
                throw ServiceError(.invalidParams, "\(path(root, codingPath + [key])): is required in a fitted model")
            }
            return try T(from: Decoder(value: v, codingPath: codingPath + [key], root: root))
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let v = object[name(key)], v != .null else { return nil }
            return try T(from: Decoder(value: v, codingPath: codingPath + [key], root: root))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try Decoder(value: object[name(key)] ?? .null, codingPath: codingPath + [key], root: root).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try Decoder(value: object[name(key)] ?? .null, codingPath: codingPath + [key], root: root).unkeyedContainer()
        }

        func superDecoder() throws -> any Swift.Decoder { Decoder(value: .object(object), codingPath: codingPath, root: root) }
        func superDecoder(forKey key: Key) throws -> any Swift.Decoder {
            Decoder(value: object[name(key)] ?? .null, codingPath: codingPath + [key], root: root)
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let values: [JSONValue]
        let codingPath: [any CodingKey]
        let root: String
        var currentIndex = 0
        var count: Int? { values.count }
        var isAtEnd: Bool { currentIndex >= values.count }

        init(values: [JSONValue], codingPath: [any CodingKey], root: String) {
            self.values = values
            self.codingPath = codingPath
            self.root = root
        }

        private mutating func next() throws -> (JSONValue, [any CodingKey]) {
            guard !isAtEnd else { throw ServiceError(.invalidParams, "\(path(root, codingPath)): has too few elements") }
            defer { currentIndex += 1 }
            return (values[currentIndex], codingPath + [ResultEncoder.Index(currentIndex)])
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, values[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (v, p) = try next()
            return try T(from: Decoder(value: v, codingPath: p, root: root))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let (v, p) = try next()
            return try Decoder(value: v, codingPath: p, root: root).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let (v, p) = try next()
            return try Decoder(value: v, codingPath: p, root: root).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Swift.Decoder {
            let (v, p) = try next()
            return Decoder(value: v, codingPath: p, root: root)
        }
    }

    struct Single: SingleValueDecodingContainer {
        let value: JSONValue
        let codingPath: [any CodingKey]
        let root: String

        func decodeNil() -> Bool { value == .null }

        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let b) = value else { throw mismatch("a boolean", value, root, codingPath) }
            return b
        }

        func decode(_ type: String.Type) throws -> String {
            guard case .string(let s) = value else { throw mismatch("a string", value, root, codingPath) }
            return s
        }

        func decode(_ type: Double.Type) throws -> Double {
            guard case .number(let x) = value else { throw mismatch("a number", value, root, codingPath) }
            return x
        }

        func decode(_ type: Int.Type) throws -> Int {
            guard case .number(let x) = value, x == x.rounded(), abs(x) < 9_007_199_254_740_992 else {
                throw mismatch("an integer", value, root, codingPath)
            }
            return Int(x)
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try T(from: Decoder(value: value, codingPath: codingPath, root: root))
        }

        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
        func decode(_ type: Int8.Type) throws -> Int8 { try narrow(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try narrow(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try narrow(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try narrow(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try narrow(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(type) }

        private func narrow<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
            guard let v = I(exactly: try decode(Int.self)) else { throw mismatch("an integer in range", value, root, codingPath) }
            return v
        }
    }
}
