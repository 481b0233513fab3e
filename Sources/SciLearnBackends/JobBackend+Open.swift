import SciLearnQueue
import SciLearnQueueSQLite

extension JobBackend {
    /// Opens the backends the URIs name: `sqlite:PATH` is the embedded queue (its destinations
    /// default to the tables of the queue's own file).
    /// - Throws: ``QueueError`` naming the option at fault.
    public static func open(queue: String, successDestination: String? = nil, failureDestination: String? = nil) throws -> JobBackend {
        let store = try SQLiteStore.at(QueueURI(queue, field: "--queue").path)
        func destination(_ uri: String?, _ field: String, _ table: SQLiteDestination.Table) throws -> SQLiteDestination {
            guard let uri else { return SQLiteDestination(store: store, table: table) }
            return SQLiteDestination(store: try SQLiteStore.at(QueueURI(uri, field: field).path), table: table)
        }
        return JobBackend(
            queue: SQLiteJobQueue(store: store),
            success: try destination(successDestination, "--success-destination", .success),
            failure: try destination(failureDestination, "--failure-destination", .failure)
        )
    }
}
