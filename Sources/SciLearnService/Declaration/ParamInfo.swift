import SciLearn

/// What the docs, the OpenAPI schema and the conformance suite know of a param: its key, type,
/// default, the engine's rule its value must satisfy and one line of doc.
struct ParamInfo: Sendable, Hashable {
    /// The JSON shape of a param, as the OpenAPI schema states it.
    enum Kind: Sendable, Hashable {
        case boolean, number, optionalNumber, falseOrNumber, integer, optionalInteger, numbers, object, componentCount
        /// One of these strings (and `null` when `nullable`).
        case choice([String], nullable: Bool)
        /// One of these strings, or a matrix (`init`).
        case choiceOrMatrix([String])
        /// One of these strings, or an integer (`n_init`).
        case choiceOrInteger([String])
    }

    let key: String
    let kind: Kind
    /// The accepted JSON shapes, as the contract writes them (`boolean`, `integer`,
    /// `"l2" | "none"`, `integer, fraction in (0, 1) or null`).
    let type: String
    /// The default as JSON text, or nil for a required param.
    let defaultText: String?
    /// The engine's range for the value (for an array, for each element): the one place the
    /// constraint lives (``SciLearn/ParameterRule``).
    let rule: ParameterRule?
    let doc: String

    /// The rule as the docs state it (">= 0", "each > 0", "in (0, 1)").
    var constraint: String? {
        rule.map { kind == .numbers ? "each \($0.description)" : $0.description }
    }
}
