import SciLearn

/// A typed param declaration: the key is spelled here once, and the task reads its value through
/// this value (`try input.read(Self.alpha)`). Type checks happen here, with the contract's
/// sentence shape (`params.alpha: must be a number; got the string "0.1"`). A range is the
/// engine's ``SciLearn/ParameterRule``, declared once by the estimator: the param checks it
/// when it reads the value (the engine's `validate()` checks the same rule for Swift callers), and
/// the docs and the OpenAPI schema state it.
struct Param<Value: Sendable>: DeclaredParam {
    let info: ParamInfo
    /// Nil for a required param.
    let defaultValue: Value?
    /// Reads a present value; `field` is the key, the limits are the request's.
    let parse: @Sendable (JSONValue, _ field: String, ServiceLimits) throws(ServiceError) -> Value

    func read(_ params: Params) throws(ServiceError) -> Value {
        guard let v = params.object[info.key] else {
            if let defaultValue { return defaultValue }
            throw .params(info.key, "is required: \(info.doc)")
        }
        return try parse(v, info.key, params.limits)
    }

    init(_ key: String, kind: ParamInfo.Kind, type: String, default defaultValue: Value?, defaultText: String?, rule: ParameterRule? = nil,
         doc: String, parse: @escaping @Sendable (JSONValue, String, ServiceLimits) throws(ServiceError) -> Value) {
        info = ParamInfo(key: key, kind: kind, type: type, defaultText: defaultText, rule: rule, doc: doc)
        self.defaultValue = defaultValue
        self.parse = parse
    }
}

extension Param where Value == Bool {
    static func bool(_ key: String, default d: Bool, doc: String) -> Self {
        Self(key, kind: .boolean, type: "boolean", default: d, defaultText: d ? "true" : "false", doc: doc) { (v, field, _) throws(ServiceError) in
            guard case .bool(let b) = v else { throw .params(field, "must be a boolean (true or false); got \(Params.describe(v))") }
            return b
        }
    }
}

extension Param where Value == Double {
    /// A number, held to the engine's `rule` when one is given.
    static func number(_ key: String, default d: Double, rule: ParameterRule? = nil, doc: String) -> Self {
        Self(key, kind: .number, type: "number", default: d, defaultText: JSONWriter.number(d), rule: rule, doc: doc) { (v, field, _) throws(ServiceError) in
            let x = try Params.number(v, field)
            try Params.check(x, rule, field)
            return x
        }
    }
}

extension Param where Value == Double {
    /// A required number (`p1` of `sample_size_proportions`), held to `rule`.
    static func requiredNumber(_ key: String, rule: ParameterRule? = nil, doc: String) -> Self {
        Self(key, kind: .number, type: "number", default: nil, defaultText: nil, rule: rule, doc: doc) { (v, field, _) throws(ServiceError) in
            let x = try Params.number(v, field)
            try Params.check(x, rule, field)
            return x
        }
    }
}

extension Param where Value == Double? {
    /// `null` or a number (`value` of `proportions_ztest`), null when absent.
    static func optionalNumber(_ key: String, rule: ParameterRule? = nil, doc: String) -> Self {
        Self(key, kind: .optionalNumber, type: "number or null", default: .some(nil), defaultText: "null", rule: rule, doc: doc) { (v, field, _) throws(ServiceError) in
            if v == .null { return nil }
            guard case .number(let x) = v else { throw .params(field, "must be a number or null; got \(Params.describe(v))") }
            try Params.check(x, rule, field)
            return x
        }
    }

    /// `false` or a number (statsmodels' `prop_var`), false (nil) when absent.
    static func falseOrNumber(_ key: String, rule: ParameterRule? = nil, doc: String) -> Self {
        Self(key, kind: .falseOrNumber, type: "false or number", default: .some(nil), defaultText: "false", rule: rule, doc: doc) { (v, field, _) throws(ServiceError) in
            if v == .bool(false) { return nil }
            guard case .number(let x) = v else { throw .params(field, "must be false or a number; got \(Params.describe(v))") }
            try Params.check(x, rule, field)
            return x
        }
    }
}

extension Param where Value == Int {
    /// An integer: a JSON number with no fractional part, within ±2⁵³.
    static func integer(_ key: String, default d: Int, rule: ParameterRule? = nil, doc: String) -> Self {
        Self(key, kind: .integer, type: "integer", default: d, defaultText: String(d), rule: rule, doc: doc) { (v, field, _) throws(ServiceError) in
            let i = try Params.integer(v, field)
            try Params.check(Double(i), rule, field)
            return i
        }
    }
}

extension Param where Value == Int? {
    /// `null` or an integer (a seed: `random_state`; `max_no_improvement`, where null turns a
    /// rule off), `d` when absent.
    static func optionalInteger(_ key: String, default d: Int? = nil, rule: ParameterRule? = nil, doc: String) -> Self {
        Self(key, kind: .optionalInteger, type: "integer or null", default: .some(d), defaultText: d.map { String($0) } ?? "null", rule: rule, doc: doc) { (v, field, _) throws(ServiceError) in
            if v == .null { return nil }
            let i = try Params.integer(v, field, orNull: true)
            try Params.check(Double(i), rule, field)
            return i
        }
    }
}

extension Param where Value == [Double] {
    /// A non-empty array of numbers (`alphas`), each held to `rule`.
    static func numbers(_ key: String, default d: [Double], rule: ParameterRule? = nil, doc: String) -> Self {
        Self(key, kind: .numbers, type: "array of numbers", default: d, defaultText: JSONWriter.write(.array(d.map { .number($0) })),
             rule: rule, doc: doc) { (v, field, _) throws(ServiceError) in
            guard case .array(let a) = v, !a.isEmpty else { throw .params(field, "must be a non-empty array of numbers; got \(Params.describe(v))") }
            var out: [Double] = []
            out.reserveCapacity(a.count)
            for (i, e) in a.enumerated() {
                let x = try Params.number(e, "\(field)[\(i)]")
                try Params.check(x, rule, "\(field)[\(i)]")
                out.append(x)
            }
            return out
        }
    }
}

extension Param where Value == JSONObject {
    /// A required object (`model`: a whole fit response).
    static func object(_ key: String, doc: String) -> Self {
        Self(key, kind: .object, type: "object", default: nil, defaultText: nil, doc: doc) { (v, field, _) throws(ServiceError) in
            guard case .object(let o) = v else { throw .params(field, "must be an object (\(doc)); got \(Params.describe(v))") }
            return o
        }
    }
}

extension Param where Value == ComponentCount {
    /// `null`, an integer >= 1, or a fraction in (0, 1) (`n_components`).
    static func componentCount(_ key: String, doc: String) -> Self {
        Self(key, kind: .componentCount, type: "integer, fraction in (0, 1) or null", default: .all, defaultText: "null", doc: doc) { (v, field, _) throws(ServiceError) in
            switch v {
            case .null: return .all
            case .number(let x) where x > 0 && x < 1: return .fraction(x)
            case .number(let x) where x == x.rounded() && x >= 1 && x < 9_007_199_254_740_992: return .count(Int(x))
            default:
                throw .params(field, "must be an integer >= 1, a fraction in the open interval (0, 1), or null; got \(Params.describe(v))")
            }
        }
    }
}

extension Param where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// A string from a fixed set, read into the engine's enum (`solver`, `alternative`).
    static func choice(_ key: String, default d: Value, doc: String) -> Self {
        let names = Value.allCases.map(\.rawValue)
        return Self(key, kind: .choice(names, nullable: false), type: names.map { "\"\($0)\"" }.joined(separator: " | "), default: d, defaultText: "\"\(d.rawValue)\"", doc: doc) { (v, field, _) throws(ServiceError) in
            try Params.choice(v, field, names: names, Value.init(rawValue:))
        }
    }
}

/// Params whose value type wraps another (an optional choice, a choice or a matrix): declared
/// with their type (`static let w: Param<ClassWeight?> = .optionalChoice(...)`).
extension Param {
    /// `null` or a string from a fixed set (`class_weight`: null | "balanced").
    static func optionalChoice<E>(_ key: String, doc: String) -> Param<E?>
        where E: RawRepresentable & CaseIterable & Sendable, E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        return Param<E?>(key, kind: .choice(names, nullable: true), type: (["null"] + names.map { "\"\($0)\"" }).joined(separator: " | "), default: .some(nil), defaultText: "null", doc: doc) { (v, field, _) throws(ServiceError) -> E? in
            if v == .null { return nil }
            return try Params.choice(v, field, names: names, E.init(rawValue:))
        }
    }

    /// A string from a fixed set or an explicit matrix (`init`: "k-means++" | "random" | [[k×d]]).
    static func choiceOrMatrix<E>(_ key: String, default d: E, doc: String) -> Param<ChoiceOrMatrix<E>>
        where E: RawRepresentable & CaseIterable & Sendable, E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        return Param<ChoiceOrMatrix<E>>(key, kind: .choiceOrMatrix(names), type: names.map { "\"\($0)\"" }.joined(separator: " | ") + " | array of rows of numbers",
                                        default: .choice(d), defaultText: "\"\(d.rawValue)\"", doc: doc) { (v, field, limits) throws(ServiceError) in
            if case .array = v {
                return .matrix(try DataReader.matrix(v, key: field, code: .invalidParams, prefix: "params.", maxCells: limits.maxCells))
            }
            return .choice(try Params.choice(v, field, names: names, E.init(rawValue:)))
        }
    }

    /// A string from a fixed set or an integer (`n_init`: "auto" | integer).
    static func choiceOrInteger<E>(_ key: String, default d: E, rule: ParameterRule? = nil, doc: String) -> Param<ChoiceOrInteger<E>>
        where E: RawRepresentable & CaseIterable & Sendable, E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        return Param<ChoiceOrInteger<E>>(key, kind: .choiceOrInteger(names), type: names.map { "\"\($0)\"" }.joined(separator: " | ") + " | integer",
                                         default: .choice(d), defaultText: "\"\(d.rawValue)\"", rule: rule, doc: doc) { (v, field, _) throws(ServiceError) in
            if case .number = v {
                let i = try Params.integer(v, field)
                try Params.check(Double(i), rule, field)
                return .integer(i)
            }
            return .choice(try Params.choice(v, field, names: names, E.init(rawValue:)))
        }
    }
}
