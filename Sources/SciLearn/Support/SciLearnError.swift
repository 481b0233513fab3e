/// The one error type of the engine: what went wrong, with which input, in words a user can act on.
///
/// `field` is the wire name of the offending input (`n_clusters`, `X`, `X[3][2]`, `y`) so that
/// the service can report it without translation; `nil` when no single input is at fault.
public struct SciLearnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The category of failure; the service maps each to a contract error code.
    public enum Kind: String, Sendable, Codable {
        /// A configuration value is out of its documented range.
        case invalidParameter
        /// The data has the wrong shape, non-finite values or too few samples.
        case invalidData
        /// The problem cannot be solved as posed (a LAPACK routine reported failure).
        case numericalFailure
        /// The computation was stopped through its ``CancellationToken`` (or its task was
        /// cancelled) before it finished; nothing is wrong with the input.
        case cancelled
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The offending input by its wire name, when one input is at fault.
    public var field: String?
    /// What must hold and what was received, in words a user can act on.
    public var message: String

    /// An error of `kind` about `field` (nil when no single input is at fault).
    public init(_ kind: Kind, field: String?, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    /// `field: message`, or the message alone.
    public var description: String {
        if let field { return "\(field): \(message)" }
        return message
    }

    static func invalidData(_ field: String?, _ message: String) -> SciLearnError {
        SciLearnError(.invalidData, field: field, message)
    }

    static func invalidParameter(_ field: String, _ message: String) -> SciLearnError {
        SciLearnError(.invalidParameter, field: field, message)
    }
}
