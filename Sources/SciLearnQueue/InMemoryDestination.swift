import Synchronization

/// ``JobDestination`` in memory (tests): first record wins on a success destination, latest on
/// a failure one, as in ``SQLiteDestination``.
public final class InMemoryDestination: JobDestination {
    private let keepFirst: Bool
    private let stored = Mutex<[String: DestinationRecord]>([:])

    /// - Parameter keepFirst: true for a success destination, false for a failure one.
    public init(keepFirst: Bool) {
        self.keepFirst = keepFirst
    }

    /// Stores the records: a success destination keeps a job's first, a failure one its latest.
    public func put(_ records: [DestinationRecord]) async throws {
        stored.withLock { s in
            for r in records where !(keepFirst && s[r.jobID] != nil) { s[r.jobID] = r }
        }
    }

    /// The stored outcomes of those of `jobIDs` that have a record.
    public func outcomes(for jobIDs: [String]) async throws -> [String: RecordedOutcome] {
        stored.withLock { s in
            var found: [String: RecordedOutcome] = [:]
            for id in jobIDs {
                if let r = s[id] { found[id] = RecordedOutcome(condition: r.condition, attempts: r.approximateInvokeCount, response: r.responsePayload) }
            }
            return found
        }
    }

    /// The stored record of `jobID`, if any.
    public func record(for jobID: String) async throws -> DestinationRecord? {
        stored.withLock { $0[jobID] }
    }

    /// Every record, by job id.
    public var records: [String: DestinationRecord] { stored.withLock { $0 } }
}
