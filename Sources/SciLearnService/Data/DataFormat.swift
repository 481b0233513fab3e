/// The format of data given by reference: the request's `format`, or the key's extension.
public enum DataFormat: String, Sendable, CaseIterable {
    /// Comma-separated values with a header row.
    case csv
    /// A numpy `.npy` array (float64, float32 or integer; C or Fortran order).
    case npy
}
