import SciLearnQueue

/// The async side of the server: the queue backend behind `POST /v1/jobs` and
/// `GET /v1/jobs/{id}`, and the embedded worker that runs its jobs in this process (nil when
/// separate `scilearn worker` processes do).
public struct AsyncJobs: Sendable {
    public var backend: JobBackend
    public var worker: QueueWorker?

    public init(backend: JobBackend, worker: QueueWorker?) {
        self.backend = backend
        self.worker = worker
    }
}
