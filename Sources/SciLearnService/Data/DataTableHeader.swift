/// The header of an opened ``DataTable``.
public enum DataTableHeader: Sendable, Equatable {
    /// A CSV file's header row.
    case columns([String])
    /// A `.npy` array's shape (one or two dimensions).
    case shape([Int])
}
