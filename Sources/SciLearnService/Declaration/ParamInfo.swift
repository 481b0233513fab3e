/// What the docs and the conformance suite know of a param: its key, type, default, the rule
/// its value must satisfy and one line of doc.
struct ParamInfo: Sendable, Hashable {
    let key: String
    /// The accepted JSON shapes, as the contract writes them (`boolean`, `integer`,
    /// `"l2" | "none"`, `integer, fraction in (0, 1) or null`).
    let type: String
    /// The default as JSON text, or nil for a required param.
    let defaultText: String?
    /// The range or rule, as text ("in (0, 1)", ">= 1"); checked where the estimator is
    /// configured (the engine), stated here for the docs.
    let constraint: String?
    let doc: String
}
