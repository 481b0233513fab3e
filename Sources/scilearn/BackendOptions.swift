import ArgumentParser
import SciLearnBackends
import SciLearnQueue

/// The options that complete a queue URI into a backend: its destinations and, for SQS, the
/// endpoint. Shared by the queue commands (through ``QueueOptions``) and `serve`.
struct BackendOptions: ParsableArguments {
    @Option(help: "Where success records go: sqlite:PATH, or an SQS queue URL for an SQS queue. Default (embedded queue): the success_records table of the queue's file.")
    var successDestination: String?

    @Option(help: "Where failure records go: sqlite:PATH, or an SQS queue URL for an SQS queue. Default (embedded queue): the failure_records table of the queue's file.")
    var failureDestination: String?

    @Option(help: "SQS only: send requests to this SQS-compatible server (e.g. http://127.0.0.1:5000) instead of the queue URL's host.")
    var endpoint: String?

    /// Opens `queue` with these options; a bad URI or missing credentials is a usage error
    /// naming the option or variable.
    func open(queue: String) throws -> JobBackend {
        do {
            return try JobBackend.open(queue: queue, successDestination: successDestination, failureDestination: failureDestination,
                                       endpoint: endpoint)
        } catch let e as QueueError where e.kind != .backend {
            throw ValidationError(e.message)
        }
    }
}
