import Foundation
import GRDB
import SciLearnQueue

/// A destination table in an ``SQLiteStore``: `success_records` (first record per job wins) or
/// `failure_records` (latest wins). On the embedded backend these are the result store that
/// `scilearn status` and `GET /v1/jobs/{id}` read.
public struct SQLiteDestination: JobDestination {
    /// Which destination table.
    public enum Table: String, Sendable {
        /// `success_records`: a job's first record is kept.
        case success = "success_records"
        /// `failure_records`: a job's latest record is kept.
        case failure = "failure_records"
    }

    /// The SQLite file holding the table.
    public let store: SQLiteStore
    /// The table records go to.
    public let table: Table

    /// The destination `table` of `store`.
    public init(store: SQLiteStore, table: Table) {
        self.store = store
        self.table = table
    }

    /// Inserts the records in one durable transaction (success: a job's first kept; failure: the latest replaces).
    public func put(_ records: [DestinationRecord]) async throws {
        guard !records.isEmpty else { return }
        let table = table
        _ = try await store.write { db in try Self.insert(records, into: table, db) }
    }

    /// Inserts records. `payloads[i]`, when given, is the id of record i's request body already
    /// stored in this file (its message's): referred to, not copied. A record that a success
    /// table ignores (the job already has one) leaves no payload behind.
    /// - Returns: the given payload ids that a record now refers to.
    @discardableResult
    static func insert(_ records: [DestinationRecord], into table: Table, payloads: [Int64?]? = nil, _ db: Database) throws -> Set<Int64> {
        var referenced = Set<Int64>()
        guard !records.isEmpty else { return referenced }
        let statement = try db.cachedStatement(sql: """
            INSERT OR \(table == .success ? "IGNORE" : "REPLACE") INTO \(table.rawValue)
            (job_id, condition, attempts, recorded_at, status_code, payload_id, response) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (i, r) in records.enumerated() {
            let stored = payloads?[i]
            let payload = try stored ?? SQLiteStore.insertPayload(r.requestPayload, db)
            let replaced = table == .failure
                ? try Int64.fetchOne(db, sql: "SELECT payload_id FROM failure_records WHERE job_id = ?", arguments: [r.jobID]) : nil
            try statement.execute(arguments: [
                r.jobID, r.condition.rawValue, r.approximateInvokeCount, r.timestamp.timeIntervalSince1970,
                r.statusCode, payload, r.responsePayload,
            ])
            let inserted = db.changesCount > 0
            if stored == nil, !inserted { try SQLiteStore.releasePayload(payload, db) }
            if let stored, inserted { referenced.insert(stored) }
            if let replaced, replaced != payload { try SQLiteStore.releasePayload(replaced, db) }
        }
        return referenced
    }

    /// The recorded outcomes of those of `jobIDs` with a row, one indexed lookup each.
    public func outcomes(for jobIDs: [String]) async throws -> [String: RecordedOutcome] {
        guard !jobIDs.isEmpty else { return [:] }
        let sql = "SELECT job_id, condition, attempts, response FROM \(table.rawValue) WHERE job_id = ?"
        return try await store.read { db in
            let statement = try db.cachedStatement(sql: sql)
            var found: [String: RecordedOutcome] = [:]
            for id in jobIDs {
                guard let row = try Row.fetchOne(statement, arguments: [id]) else { continue }
                found[id] = RecordedOutcome(
                    condition: DestinationRecord.Condition(rawValue: row["condition"]) ?? .clientError,
                    attempts: row["attempts"],
                    response: row["response"]
                )
            }
            return found
        }
    }

    /// The whole record of `jobID`, its request body included, if any.
    public func record(for jobID: String) async throws -> DestinationRecord? {
        let sql = "SELECT r.*, p.body FROM \(table.rawValue) r JOIN payloads p ON p.id = r.payload_id WHERE r.job_id = ?"
        return try await store.read { db in
            guard let row = try Row.fetchOne(db, sql: sql, arguments: [jobID]) else { return nil }
            return DestinationRecord(
                jobID: row["job_id"],
                condition: DestinationRecord.Condition(rawValue: row["condition"]) ?? .clientError,
                approximateInvokeCount: row["attempts"],
                timestamp: Date(timeIntervalSince1970: row["recorded_at"]),
                statusCode: row["status_code"],
                requestPayload: SQLiteStore.body(row),
                responsePayload: row["response"]
            )
        }
    }

    /// Deletes every record of this table. Returns how many went.
    public func purge() async throws -> Int {
        let sql = "DELETE FROM \(table.rawValue)"
        return try await store.write { db in
            try db.execute(sql: sql)
            let n = db.changesCount
            try SQLiteStore.releaseOrphanPayloads(db)
            return n
        }
    }
}
