/// How a job ended, as a destination that can be read back knows it.
public struct RecordedOutcome: Sendable, Equatable {
    public var condition: DestinationRecord.Condition
    public var attempts: Int
    /// The contract response, as JSON text.
    public var response: String

    public init(condition: DestinationRecord.Condition, attempts: Int, response: String) {
        self.condition = condition
        self.attempts = attempts
        self.response = response
    }
}
