/// How a job ended, as a destination that can be read back knows it.
public struct RecordedOutcome: Sendable, Equatable {
    /// How the job ended.
    public var condition: DestinationRecord.Condition
    /// Deliveries up to the record (its `approximateInvokeCount`).
    public var attempts: Int
    /// The contract response, as JSON text.
    public var response: String

    /// An outcome from its fields.
    public init(condition: DestinationRecord.Condition, attempts: Int, response: String) {
        self.condition = condition
        self.attempts = attempts
        self.response = response
    }
}
