import ArgumentParser
import SciLearnBackends
import SciLearnQueue

/// The options naming a queue and its destinations, shared by `worker`, `submit`, `status`,
/// `redrive`, `inspect`, `purge` and `serve`.
struct QueueOptions: ParsableArguments {
    static let defaultQueue = "sqlite:./.scilearn/queue.db"

    @Option(help: "The queue: sqlite:PATH (the embedded, durable queue; created if missing).")
    var queue: String = QueueOptions.defaultQueue

    @Option(help: "Where success records go. Default: the success_records table of the queue's file.")
    var successDestination: String?

    @Option(help: "Where failure records go. Default: the failure_records table of the queue's file.")
    var failureDestination: String?

    /// Opens the backend; a bad URI is a usage error naming the option.
    func open() throws -> JobBackend {
        do {
            return try JobBackend.open(queue: queue, successDestination: successDestination, failureDestination: failureDestination)
        } catch let e as QueueError where e.kind != .backend {
            throw ValidationError(e.message)
        }
    }
}
