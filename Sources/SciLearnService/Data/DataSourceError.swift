/// Why a ``DataSource`` could not open or read a reference; the service reports it as the
/// field's `invalid_data` (or `too_large`) error, naming the field and the reference.
public struct DataSourceError: Error, Sendable, Equatable {
    /// What went wrong, as the contract's codes see it.
    public enum Kind: Sendable, Equatable {
        /// Not allowed, missing, unreadable or malformed: `invalid_data`.
        case invalid
        /// Over the cell limit: `too_large`.
        case tooLarge
        /// The job was cancelled while reading.
        case cancelled
    }

    public var kind: Kind
    /// The explanation, without the field's name (the service adds it).
    public var message: String

    /// An error of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// An `invalid` reference.
    public init(_ message: String) {
        self.init(.invalid, message)
    }
}
