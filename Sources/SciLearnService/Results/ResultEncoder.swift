/// Encodes a task's result type to the contract's JSON, field names and order included: the one
/// mechanism every task uses instead of writing its fields by hand.
///
/// - Property names become the contract's snake_case names (`stdErrors` → `std_errors`,
///   `fPValue` → `f_p_value`), in declaration order.
/// - An optional that is nil is written `null` (the contract's "undefined", always with a
///   warning from the engine); the key is never dropped.
/// - A non-finite number anywhere is `numerical_failure` naming its path: JSON has no NaN or
///   infinity, and a silent null would hide a wrong answer. A quantity that may be undefined
///   is declared optional and set to nil by the code that knows why.
enum ResultEncoder {
    static func encode(_ value: some Encodable) throws(ServiceError) -> JSONObject {
        let root = Node()
        do {
            try encodeValue(value, into: root, at: [])
        } catch let e as ServiceError {
            throw e
        } catch {
            throw ServiceError(.internal, "the result could not be encoded: \(error)")
        }
        guard case .object(let o) = root.value else {
            throw ServiceError(.internal, "a result must encode to an object")
        }
        return o
    }

    /// `stdErrors` → `std_errors` (Swift property names: ASCII).
    static func snakeCase(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + 4)
        for c in name.utf8 {
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") {
                if !out.isEmpty { out.append(UInt8(ascii: "_")) }
                out.append(c + 32)
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = "result"
        for k in codingPath {
            if let i = k.intValue { out += "[\(i)]" } else { out += "." + snakeCase(k.stringValue) }
        }
        return out
    }

    /// The path is built only for the error (a closure: no array per number).
    @inline(__always)
    static func number(_ v: Double, at codingPath: @autoclosure () -> [any CodingKey]) throws(ServiceError) -> JSONValue {
        guard v.isFinite else {
            throw ServiceError(.numericalFailure, "\(path(codingPath())): the computation gave \(v), which has no JSON representation")
        }
        return .number(v)
    }

    /// A value under construction: containers write into their node, parents read it back.
    final class Node {
        var value: JSONValue = .null
        var object: [(key: String, node: Node)]? = nil
        var array: [Node]? = nil

        func resolve() -> JSONValue {
            if let object { return .object(JSONObject(object.map { ($0.key, $0.node.resolve()) })) }
            if let array { return .array(array.map { $0.resolve() }) }
            return value
        }
    }

    struct Encoder: Swift.Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if node.object == nil { node.object = [] }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if node.array == nil { node.array = [] }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        private func child(_ key: Key) -> Node {
            let n = Node()
            node.object!.append((ResultEncoder.snakeCase(key.stringValue), n))
            return n
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).value = .null }
        mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).value = .bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { child(key).value = .string(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { child(key).value = try ResultEncoder.number(value, at: codingPath + [key]) }
        mutating func encode(_ value: Int, forKey key: Key) throws { child(key).value = .number(Double(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            let n = child(key)
            try encodeValue(value, into: n, at: codingPath + [key])
        }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let n = child(key)
            n.object = []
            return KeyedEncodingContainer(Keyed<NestedKey>(node: n, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let n = child(key)
            n.array = []
            return Unkeyed(node: n, codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> any Swift.Encoder { Encoder(node: node, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Swift.Encoder { Encoder(node: child(key), codingPath: codingPath + [key]) }
    }

    struct Index: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue!)" }
        init(_ i: Int) { intValue = i }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int { node.array!.count }

        private func next() -> (Node, [any CodingKey]) {
            let n = Node()
            let path = codingPath + [Index(node.array!.count)]
            node.array!.append(n)
            return (n, path)
        }

        mutating func encodeNil() throws { next().0.value = .null }
        mutating func encode(_ value: Bool) throws { next().0.value = .bool(value) }
        mutating func encode(_ value: String) throws { next().0.value = .string(value) }
        mutating func encode(_ value: Double) throws {
            let (n, path) = next()
            n.value = try ResultEncoder.number(value, at: path)
        }
        mutating func encode(_ value: Int) throws { next().0.value = .number(Double(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let (n, path) = next()
            try encodeValue(value, into: n, at: path)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let (n, path) = next()
            n.object = []
            return KeyedEncodingContainer(Keyed<NestedKey>(node: n, codingPath: path))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let (n, path) = next()
            n.array = []
            return Unkeyed(node: n, codingPath: path)
        }
        mutating func superEncoder() -> any Swift.Encoder {
            let (n, path) = next()
            return Encoder(node: n, codingPath: path)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        mutating func encodeNil() throws { node.value = .null }
        mutating func encode(_ value: Bool) throws { node.value = .bool(value) }
        mutating func encode(_ value: String) throws { node.value = .string(value) }
        mutating func encode(_ value: Double) throws { node.value = try ResultEncoder.number(value, at: codingPath) }
        mutating func encode(_ value: Int) throws { node.value = .number(Double(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value, into: node, at: codingPath) }
    }

    /// Fast paths for the common leaves (numbers and arrays of them), then the general route.
    static func encodeValue<T: Encodable>(_ value: T, into node: Node, at path: @autoclosure () -> [any CodingKey]) throws {
        switch value {
        case let v as Double: node.value = try number(v, at: path())
        case let v as [Double]:
            var out: [JSONValue] = []
            out.reserveCapacity(v.count)
            for (i, x) in v.enumerated() { out.append(try number(x, at: path() + [Index(i)])) }
            node.value = .array(out)
        case let v as [Double?]:
            var out: [JSONValue] = []
            out.reserveCapacity(v.count)
            for (i, x) in v.enumerated() { out.append(try x.map { (x) throws(ServiceError) in try number(x, at: path() + [Index(i)]) } ?? .null) }
            node.value = .array(out)
        case let v as [[Double?]]:
            var out: [JSONValue] = []
            out.reserveCapacity(v.count)
            for (i, row) in v.enumerated() {
                var inner: [JSONValue] = []
                inner.reserveCapacity(row.count)
                for (j, x) in row.enumerated() {
                    inner.append(try x.map { (x) throws(ServiceError) in try number(x, at: path() + [Index(i), Index(j)]) } ?? .null)
                }
                out.append(.array(inner))
            }
            node.value = .array(out)
        case let v as [String]:
            node.value = .array(v.map { .string($0) })
        default:
            try value.encode(to: Encoder(node: node, codingPath: path()))
            node.value = node.resolve()
            node.object = nil
            node.array = nil
        }
    }
}
