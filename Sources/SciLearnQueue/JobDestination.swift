/// Where a worker records how jobs ended (Lambda's on-success / on-failure destinations).
///
/// A success destination keeps the first record of a job id: a duplicate delivery of a job that
/// already succeeded writes nothing new. A failure destination keeps the latest.
public protocol JobDestination: Sendable {
    /// Writes records; when it returns they are durable.
    func put(_ records: [DestinationRecord]) async throws

    /// The recorded outcomes of those of `jobIDs` that have one. A destination that cannot be
    /// read back returns none (the worker's idempotency check then relies on the queue).
    func outcomes(for jobIDs: [String]) async throws -> [String: RecordedOutcome]

    /// The whole record of `jobID`, if any.
    func record(for jobID: String) async throws -> DestinationRecord?
}
