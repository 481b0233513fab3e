/// What a task returns on success: its result object, encoded by ``ResultEncoder`` from the
/// task's ``TaskResult`` type, and its warnings.
///
/// The contract's rule for undefined values is enforced here, for every task: the result's keys
/// are exactly its declared fields (those with a ``ResultFieldInfo/presentWhen`` may be
/// absent), a null appears only in a field declared nullable, and every null is accompanied by
/// a warning that names its field. A non-finite number is `numerical_failure` (the encoder's),
/// so a silent null cannot leave the service.
struct TaskOutput: Sendable {
    private(set) var result: JSONObject
    private(set) var warnings: [String]

    init<R: TaskResult>(_ result: R, warnings: [String]) throws(ServiceError) {
        let encoded = try ResultEncoder.encode(result)
        try Self.check(encoded, against: R.fields, warnings: warnings, type: "\(R.self)")
        self.result = encoded
        self.warnings = warnings
    }

    static func check(_ result: JSONObject, against fields: [ResultFieldInfo], warnings: [String], type: String) throws(ServiceError) {
        let declared = Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0) })
        for (key, value) in result.entries {
            guard let field = declared[key] else {
                throw ServiceError(.internal, "result.\(key) is not a declared field of \(type)")
            }
            guard value.containsNull else { continue }
            guard field.nullable else {
                throw ServiceError(.internal, "result.\(key) is null but \(type) does not declare it nullable")
            }
            guard warnings.contains(where: { names($0, key) }) else {
                throw ServiceError(.internal, "result.\(key) is null without a warning naming it")
            }
        }
        for field in fields where field.presentWhen == nil && result[field.key] == nil {
            throw ServiceError(.internal, "result.\(field.key) is declared by \(type) but missing")
        }
    }

    /// Whether `warning` names `field` as a word (`coef` in "coef, intercept: ...", not in
    /// "coefficients").
    static func names(_ warning: String, _ field: String) -> Bool {
        func isWordByte(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
        }
        let w = Array(warning.utf8), f = Array(field.utf8)
        guard f.count <= w.count, !f.isEmpty else { return false }
        var i = 0
        while i + f.count <= w.count {
            if w[i..<(i + f.count)].elementsEqual(f)
                && (i == 0 || !isWordByte(w[i - 1]))
                && (i + f.count == w.count || !isWordByte(w[i + f.count])) {
                return true
            }
            i += 1
        }
        return false
    }
}

extension JSONValue {
    /// Whether this value is null or holds a null anywhere inside.
    var containsNull: Bool {
        switch self {
        case .null: true
        case .array(let a): a.contains { $0.containsNull }
        case .object(let o): o.entries.contains { $0.value.containsNull }
        default: false
        }
    }
}
