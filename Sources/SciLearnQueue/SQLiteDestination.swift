import Foundation
import GRDB

/// A destination table in an ``SQLiteStore``: `success_records` (first record per job wins) or
/// `failure_records` (latest wins). On the embedded backend these are the result store that
/// `scilearn status` and `GET /v1/jobs/{id}` read.
public struct SQLiteDestination: JobDestination {
    public enum Table: String, Sendable {
        case success = "success_records"
        case failure = "failure_records"
    }

    public let store: SQLiteStore
    public let table: Table

    public init(store: SQLiteStore, table: Table) {
        self.store = store
        self.table = table
    }

    public func put(_ records: [DestinationRecord]) async throws {
        guard !records.isEmpty else { return }
        let table = table
        try await store.write { db in try Self.insert(records, into: table, db) }
    }

    static func insert(_ records: [DestinationRecord], into table: Table, _ db: Database) throws {
        guard !records.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT OR \(table == .success ? "IGNORE" : "REPLACE") INTO \(table.rawValue)
            (job_id, condition, attempts, recorded_at, status_code, request_payload, response) VALUES (?, ?, ?, ?, ?, coalesce(?, x''), ?)
            """)
        for r in records {
            try statement.execute(arguments: [
                r.jobID, r.condition.rawValue, r.approximateInvokeCount, r.timestamp.timeIntervalSince1970,
                r.statusCode, Data(r.requestPayload), r.responsePayload,
            ])
        }
    }

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

    public func record(for jobID: String) async throws -> DestinationRecord? {
        let sql = "SELECT * FROM \(table.rawValue) WHERE job_id = ?"
        return try await store.read { db in
            guard let row = try Row.fetchOne(db, sql: sql, arguments: [jobID]) else { return nil }
            // An empty blob may read back as NULL.
            let payload: Data = row["request_payload"] ?? Data()
            return DestinationRecord(
                jobID: row["job_id"],
                condition: DestinationRecord.Condition(rawValue: row["condition"]) ?? .clientError,
                approximateInvokeCount: row["attempts"],
                timestamp: Date(timeIntervalSince1970: row["recorded_at"]),
                statusCode: row["status_code"],
                requestPayload: [UInt8](payload),
                responsePayload: row["response"]
            )
        }
    }

    /// Deletes every record of this table. Returns how many went.
    public func purge() async throws -> Int {
        let sql = "DELETE FROM \(table.rawValue)"
        return try await store.write { db in
            try db.execute(sql: sql)
            return db.changesCount
        }
    }
}
