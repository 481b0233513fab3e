/// An error of the queue layer, with a message that says what to do.
public struct QueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure the error is.
    public enum Kind: Sendable, Equatable {
        /// A queue or destination URI that cannot be used.
        case invalidURI
        /// An argument out of range (max, timeouts).
        case invalidArgument
        /// The backend failed (I/O, a corrupt file, a lock held too long).
        case backend
    }

    /// The error's kind.
    public var kind: Kind
    /// What went wrong and what to do about it.
    public var message: String

    /// An error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
