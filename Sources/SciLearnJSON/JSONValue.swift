/// A JSON document as the service sees it: objects keep their key order (so that responses are
/// stable and readable) and numbers are `Double` (JSON has no integers of its own).
public enum JSONValue: Sendable, Equatable {
    /// JSON `null`.
    case null
    /// A JSON boolean.
    case bool(Bool)
    /// A JSON number, as a `Double`.
    case number(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object, its keys in order.
    case object(JSONObject)

    /// The JSON type name used in error messages ("a number", "a string", ...).
    public var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// An ordered JSON object; duplicate keys are rejected by the parser.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The members as key-value pairs, in order.
    public private(set) var entries: [(key: String, value: JSONValue)]

    /// An object of these entries, in their order (empty by default).
    public init(_ entries: [(key: String, value: JSONValue)] = []) { self.entries = entries }

    /// An object of the literal's pairs, in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        entries = elements.map { (key: $0.0, value: $0.1) }
    }

    /// The keys, in order.
    public var keys: [String] { entries.map(\.key) }

    /// The value for `key`, or nil (a linear scan); setting nil removes the key, and a new key goes last.
    public subscript(key: String) -> JSONValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// Whether both objects have the same keys, in the same order, with equal values.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
