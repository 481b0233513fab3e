/// How many messages a queue holds, by state (SQS `ApproximateNumberOfMessages`,
/// `...NotVisible`, and the dead-letter queue's count).
public struct QueueDepth: Sendable, Equatable, Codable {
    /// Ready to be received now (including ones waiting out a retry backoff whose time is up).
    public var visible: Int
    /// Received and not yet deleted, or waiting out a retry backoff.
    public var inFlight: Int
    /// In the dead-letter queue.
    public var deadLettered: Int

    /// A depth from its three counts.
    public init(visible: Int, inFlight: Int, deadLettered: Int) {
        self.visible = visible
        self.inFlight = inFlight
        self.deadLettered = deadLettered
    }

    enum CodingKeys: String, CodingKey {
        case visible, inFlight = "in_flight", deadLettered = "dead_lettered"
    }
}
