/// An error of the queue layer, with a message that says what to do.
public struct QueueError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A queue or destination URI that cannot be used.
        case invalidURI
        /// An argument out of range (max, timeouts).
        case invalidArgument
        /// The backend failed (I/O, a corrupt file, a lock held too long).
        case backend
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
