/// The limits of Amazon SQS that the backend respects before sending (SQS would refuse).
public enum SQSLimits {
    /// Largest message, body and attributes together, and largest batch payload: 1 MiB.
    public static let maxMessageBytes = 1_048_576
    /// Most entries in one batch action.
    public static let maxBatchEntries = 10
    /// Longest long poll (`WaitTimeSeconds`).
    public static let maxWaitSeconds = 20
    /// Longest visibility timeout: 12 hours.
    public static let maxVisibilitySeconds = 43_200
}
