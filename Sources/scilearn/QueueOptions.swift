import ArgumentParser
import SciLearnBackends
import SciLearnQueue

/// The options naming a queue and its destinations, shared by `worker`, `submit`, `status`,
/// `redrive`, `inspect`, `purge` and `serve`.
struct QueueOptions: ParsableArguments {
    static let defaultQueue = "sqlite:./.scilearn/queue.db"

    @Option(help: "The queue: sqlite:PATH (the embedded, durable queue; created if missing), or an SQS queue URL https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION).")
    var queue: String = QueueOptions.defaultQueue

    @Option(help: "Where success records go: sqlite:PATH, or an SQS queue URL for an SQS queue. Default (embedded queue): the success_records table of the queue's file.")
    var successDestination: String?

    @Option(help: "Where failure records go: sqlite:PATH, or an SQS queue URL for an SQS queue. Default (embedded queue): the failure_records table of the queue's file.")
    var failureDestination: String?

    @Option(help: "SQS only: send requests to this SQS-compatible server (e.g. http://127.0.0.1:5000) instead of the queue URL's host.")
    var endpoint: String?

    /// Opens the backend; a bad URI is a usage error naming the option.
    func open() throws -> JobBackend {
        do {
            return try JobBackend.open(queue: queue, successDestination: successDestination, failureDestination: failureDestination,
                                       endpoint: endpoint)
        } catch let e as QueueError where e.kind != .backend {
            throw ValidationError(e.message)
        }
    }
}
