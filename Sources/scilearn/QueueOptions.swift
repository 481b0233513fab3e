import ArgumentParser
import SciLearnBackends
import SciLearnQueue

/// The options naming a queue and its backend (destinations, SQS endpoint), shared by `worker`,
/// `submit`, `status`, `redrive`, `inspect` and `purge` (`serve` has its own `--queue`, which
/// also takes `none`, and the same ``BackendOptions``).
struct QueueOptions: ParsableArguments {
    static let defaultQueue = "sqlite:./.scilearn/queue.db"

    @Option(help: "The queue: sqlite:PATH (the embedded, durable queue; created if missing), or an SQS queue URL https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION).")
    var queue: String = QueueOptions.defaultQueue

    @OptionGroup var backend: BackendOptions

    /// Opens the backend; a bad URI is a usage error naming the option.
    func open() throws -> JobBackend {
        try backend.open(queue: queue)
    }
}
