/// One field of a task's result, as the docs (`Docs/contract.md`) and the OpenAPI schema state
/// it, and as ``TaskOutput`` holds every result to: no undeclared key, no missing key, a null
/// only where the field is declared nullable, and then with a warning naming it.
struct ResultFieldInfo: Sendable, Hashable {
    /// The JSON shape of the value.
    enum Shape: String, Sendable {
        case number = "number"
        case integer = "integer"
        case boolean = "boolean"
        case string = "string"
        case numbers = "array of numbers"
        case integers = "array of integers"
        case strings = "array of strings"
        case booleans = "array of booleans"
        case numberRows = "array of rows of numbers"
        /// Class labels: all numbers or all strings.
        case labels = "array of numbers or of strings"
    }

    let key: String
    let shape: Shape
    /// Whether the value (for an array, any element) may be null: undefined, always with a
    /// warning that names the field and says why.
    let nullable: Bool
    /// nil when the field is always present; otherwise when it is.
    let presentWhen: String?
    let doc: String

    init(_ key: String, _ shape: Shape, nullable: Bool = false, presentWhen: String? = nil, _ doc: String) {
        self.key = key
        self.shape = shape
        self.nullable = nullable
        self.presentWhen = presentWhen
        self.doc = doc
    }
}
