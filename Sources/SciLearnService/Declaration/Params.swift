import SciLearn

/// Strict reading of `params`: every key must be one the task declares (an unknown key is
/// `invalid_params` naming it and the key probably meant), and every value is type-checked with
/// one sentence shape: what must hold, and what was received. The typed reads are the
/// declarations' (``Param``); the checks they share live here.
struct Params: Sendable {
    let object: JSONObject
    /// The request's limits (a matrix-valued param is held to `maxCells` like data).
    let limits: ServiceLimits

    /// - Throws: `invalid_params` when `value` is not an object or holds an undeclared key.
    init(_ value: JSONValue?, allowed: [String], limits: ServiceLimits) throws(ServiceError) {
        self.limits = limits
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

    static func number(_ v: JSONValue, _ field: String) throws(ServiceError) -> Double {
        guard case .number(let x) = v else { throw .params(field, "must be a number; got \(describe(v))") }
        return x
    }

    /// A JSON number with no fractional part, within ±2⁵³ (where doubles hold every integer).
    static func integer(_ v: JSONValue, _ field: String, orNull: Bool = false) throws(ServiceError) -> Int {
        guard case .number(let x) = v, x == x.rounded(), abs(x) <= 9_007_199_254_740_992 else {
            throw .params(field, "must be an integer\(orNull ? " or null" : ""); got \(describe(v))")
        }
        return Int(x)
    }

    /// One of `names`, converted by `make`.
    static func choice<E>(_ v: JSONValue, _ field: String, names: [String], _ make: (String) -> E?) throws(ServiceError) -> E {
        let allowed = names.map { "\"\($0)\"" }.joined(separator: ", ")
        guard case .string(let s) = v else { throw .params(field, "must be one of \(allowed); got \(describe(v))") }
        guard let e = make(s) else { throw .params(field, "must be one of \(allowed); got \"\(s.prefix(40))\"\(Suggestion.hint(s, names))") }
        return e
    }

    /// `value` against the engine's `rule` (none: anything), the error naming `field`.
    static func check(_ value: Double, _ rule: ParameterRule?, _ field: String) throws(ServiceError) {
        guard let rule else { return }
        do throws(SciLearnError) { try rule.check(value, name: field) } catch { throw ServiceError(error) }
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
