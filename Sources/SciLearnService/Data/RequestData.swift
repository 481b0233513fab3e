/// A request's `data` object as parsed: its fields in order, numeric arrays packed
/// (``PackedNumbers``) and anything else as a value tree.
public struct RequestData: Sendable {
    enum Field: Sendable {
        case packed(PackedNumbers)
        case value(JSONValue)

        /// The field as a value tree.
        var jsonValue: JSONValue {
            switch self {
            case .packed(let p): p.jsonValue
            case .value(let v): v
            }
        }
    }

    var fields: [(key: String, value: Field)]

    var keys: [String] { fields.map(\.key) }

    subscript(key: String) -> Field? {
        fields.first { $0.key == key }?.value
    }
}
