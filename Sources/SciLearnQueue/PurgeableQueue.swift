/// A queue that can delete every message and dead letter at once (the embedded queue; records
/// in the destinations stay).
public protocol PurgeableQueue: JobQueue {
    /// Deletes every queued, in-flight and dead-lettered message; returns how many.
    func purge() async throws -> Int
}
