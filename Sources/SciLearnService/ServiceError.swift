import SciLearn

/// A contract error: a code and a message that names the field at fault.
public struct ServiceError: Error, Sendable, Equatable {
    /// The contract error code.
    public var code: ErrorCode
    /// The message, naming the field at fault where there is one.
    public var message: String

    /// An error of this code and message.
    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    static func params(_ field: String, _ message: String) -> ServiceError {
        ServiceError(.invalidParams, "params.\(field): \(message)")
    }

    static func data(_ field: String, _ message: String) -> ServiceError {
        ServiceError(.invalidData, "data.\(field): \(message)")
    }

    /// Maps an engine error to the contract: the one place where that mapping lives.
    init(_ error: SciLearnError) {
        switch error.kind {
        case .invalidParameter:
            self.init(.invalidParams, error.field.map { "params.\($0): \(error.message)" } ?? error.message)
        case .invalidData:
            self.init(.invalidData, error.field.map { "data.\($0): \(error.message)" } ?? error.message)
        case .numericalFailure:
            self.init(.numericalFailure, error.description)
        case .cancelled:
            // Retryable: the job was stopped (its deadline passed, or its worker is draining),
            // not refused.
            self.init(.timeout, "the job was stopped before it finished: its deadline passed or its worker is shutting down")
        }
    }
}
