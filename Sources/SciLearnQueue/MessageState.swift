/// Where a job's message is in a queue, as far as the queue knows.
public enum MessageState: Sendable, Equatable {
    /// Waiting to be received. `receiveCount` is the deliveries so far (0 if never delivered;
    /// more after a retry backoff or a released message).
    case queued(receiveCount: Int)
    /// Received and invisible: a worker holds it, or it waits out a retry backoff.
    case inFlight(receiveCount: Int)
    /// Moved to the dead-letter queue after `receiveCount` deliveries.
    case deadLettered(receiveCount: Int)
}
