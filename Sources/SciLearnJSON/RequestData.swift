/// A request's `data` object as parsed: its fields in order, numeric arrays packed
/// (``PackedNumbers``) and anything else as a value tree.
public struct RequestData: Sendable {
    /// A field's value: packed numbers, or a value tree.
    package enum Field: Sendable {
        case packed(PackedNumbers)
        case value(JSONValue)

        /// The field as a value tree.
        package var jsonValue: JSONValue {
            switch self {
            case .packed(let p): p.jsonValue
            case .value(let v): v
            }
        }
    }

    /// The fields in order.
    package var fields: [(key: String, value: Field)]

    /// A data object of these fields.
    package init(fields: [(key: String, value: Field)]) { self.fields = fields }

    /// The field names in order.
    package var keys: [String] { fields.map(\.key) }

    /// The field named `key`, if any.
    package subscript(key: String) -> Field? {
        fields.first { $0.key == key }?.value
    }
}
