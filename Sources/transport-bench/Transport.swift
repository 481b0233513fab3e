/// One way of calling the engine, driven by the suite: `run` returns once the job's result is
/// readable by the caller (the response of a synchronous call; for a queue, the record or status
/// that says the job is done).
protocol Transport: Sendable {
    /// The path's name in the results (`inprocess`, `http`, `queue`, `sqs`, `lambda`).
    var name: String { get }
    /// Runs one job to a readable result.
    func run(id: String, body: [UInt8]) async throws -> JobOutcome
    /// Stops what the transport started (servers, workers, function instances).
    func close() async
}

/// How one job ended, as its caller saw it.
struct JobOutcome: Sendable {
    /// Whether the result was a success.
    var ok: Bool
    /// Times the call was refused with 503 (overloaded) and tried again first.
    var refusals: Int = 0
}
