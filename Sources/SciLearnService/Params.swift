/// Strict reading of `params`: every key must be one the task declares (an unknown key is
/// `invalid_params` naming it and the key probably meant), and every value is type- and
/// range-checked with one sentence shape: what must hold, and what was received.
struct Params {
    let object: JSONObject

    /// - Throws: `invalid_params` when `value` is not an object or holds an undeclared key.
    init(_ value: JSONValue?, allowed: [String]) throws(ServiceError) {
        switch value {
        case nil, .null?: object = JSONObject()
        case .object(let o)?: object = o
        case let v?: throw ServiceError(.invalidParams, "params: must be an object; got \(v.typeDescription)")
        }
        for key in object.keys where !allowed.contains(key) {
            let valid = allowed.isEmpty ? "this task takes no params" : "valid keys: \(allowed.joined(separator: ", "))"
            throw .params(key, "unknown parameter\(Suggestion.hint(key, allowed)) (\(valid))")
        }
    }

    func bool(_ key: String, default d: Bool) throws(ServiceError) -> Bool {
        switch object[key] {
        case nil: return d
        case .bool(let b)?: return b
        case let v?: throw .params(key, "must be a boolean (true or false); got \(Self.describe(v))")
        }
    }

    /// A number. Its range is the engine's to check (once, in the estimator's `fit`), so that a
    /// rule is stated in one place for Swift callers and the wire alike.
    func number(_ key: String, default d: Double) throws(ServiceError) -> Double {
        switch object[key] {
        case nil: return d
        case .number(let x)?: return x
        case let v?: throw .params(key, "must be a number; got \(Self.describe(v))")
        }
    }

    /// A required object.
    func requiredObject(_ key: String, what: String) throws(ServiceError) -> JSONObject {
        switch object[key] {
        case .object(let o)?: return o
        case nil: throw .params(key, "is required: \(what)")
        case let v?: throw .params(key, "must be an object (\(what)); got \(Self.describe(v))")
        }
    }

    static func describe(_ v: JSONValue) -> String {
        switch v {
        case .number(let x): return JSONWriter.number(x)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return "the string \"\(s.prefix(40))\""
        default: return v.typeDescription
        }
    }
}
