import SciLearnQueue

/// The destination of an SQS backend opened without one (`submit` and `status` need none):
/// reads find nothing, and writing records fails, naming the option to give.
struct MissingDestination: JobDestination {
    let option: String

    func put(_ records: [DestinationRecord]) async throws {
        throw QueueError(.invalidArgument, "\(option) is required with an SQS queue: records go to an SQS queue URL")
    }

    func outcomes(for jobIDs: [String]) async throws -> [String: RecordedOutcome] { [:] }

    func record(for jobID: String) async throws -> DestinationRecord? { nil }
}
