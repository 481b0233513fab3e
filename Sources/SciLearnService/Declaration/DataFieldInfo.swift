/// What the docs and the conformance suite know of a data field.
struct DataFieldInfo: Sendable, Hashable {
    /// The shapes a field can take; the conformance suite derives its bad inputs from them.
    enum Shape: String, Sendable {
        case matrix = "array of rows of numbers"
        case vector = "array of numbers"
        case labels = "array of numbers or of strings"
        case samples = "array of arrays of numbers"
        case counts = "array of rows of counts"
        case names = "array of strings"

        /// A matrix (rows × columns), as opposed to a vector: what a reference must hold.
        var isMatrix: Bool { self == .matrix || self == .counts }
    }

    let key: String
    let shape: Shape
    let required: Bool
    /// For a matrix: whether zero columns are accepted (the intercept-only model).
    let acceptsNoColumns: Bool
    /// The field whose length this one must equal (`y` of `X`'s rows, `b` of `ttest_rel`'s `a`),
    /// or nil when its length is its own.
    var pairedWith: String? = nil
    let doc: String
}
