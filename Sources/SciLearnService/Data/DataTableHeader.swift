/// The header of an opened ``DataTable``.
public enum DataTableHeader: Sendable, Equatable {
    /// A CSV file's header row.
    case columns([String])
    /// A `.npy` array's shape (one or two dimensions).
    case shape([Int])

    /// A shape as numpy prints it: `(40, 3)`, `(40,)`.
    public static func shapeText(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }
}
