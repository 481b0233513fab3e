import Logging
import NIOCore
import NIOPosix
import SciLearnService
import ServiceLifecycle
import Synchronization

/// Runs jobs on a fixed pool of `limit` threads, off the event loops (the engine is CPU-bound),
/// and admits at most `limit` requests at once: the one place the concurrency limit lives.
/// As a lifecycle service it outlives the HTTP server on shutdown and then drains its pool.
final class JobExecutor: Service, Sendable {
    /// Runs one request body. The production runner is `SciLearnService.run(body:)`.
    typealias Runner = @Sendable (ByteBuffer) -> JobResponse

    let limit: Int
    private let pool: NIOThreadPool
    private let runner: Runner
    private let admitted = Mutex(0)
    private let metrics: ServerMetrics

    init(limit: Int, runner: @escaping Runner, metrics: ServerMetrics) {
        precondition(limit >= 1, "concurrency must be >= 1")
        self.limit = limit
        self.runner = runner
        self.metrics = metrics
        self.pool = NIOThreadPool(numberOfThreads: limit)
        pool.start()
    }

    /// A slot, or nil when `limit` requests are already admitted (the caller answers 503).
    func admit() -> AdmissionTicket? {
        let ok = admitted.withLock { n -> Bool in
            guard n < limit else { return false }
            n += 1
            return true
        }
        guard ok else { return nil }
        metrics.inFlight.increment()
        return AdmissionTicket { [self] in
            admitted.withLock { $0 -= 1 }
            metrics.inFlight.decrement()
        }
    }

    /// Runs `body` on the pool. Returns early, with ``RequestDeadline/Exceeded``, when `deadline`
    /// passes, or with `CancellationError` when the calling task is cancelled; a job already
    /// running then finishes on its thread and only then frees its slot, and a job not yet
    /// started is skipped.
    func run(_ body: ByteBuffer, ticket: AdmissionTicket, deadline: RequestDeadline? = nil) async throws -> ExecutedJob {
        ticket.handOver()
        let slot = ResultSlot<ExecutedJob>()
        if let deadline, !deadline.wait(on: .job(slot)) {
            ticket.release()
            throw RequestDeadline.Exceeded()
        }
        let runner = self.runner
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                slot.install(continuation)
                pool.submit { state in
                    guard state == .active, !slot.isSettled else {
                        ticket.release()
                        slot.settle(.failure(CancellationError()))
                        return
                    }
                    let start = ContinuousClock.now
                    let response = runner(body)
                    let json = response.json
                    let ms = (ContinuousClock.now - start).seconds * 1e3
                    // Free the slot before answering: a client that sends its next request as
                    // soon as it has this answer must find the slot free.
                    ticket.release()
                    slot.settle(.success(ExecutedJob(response: response, json: json, milliseconds: ms)))
                }
            }
        } onCancel: {
            slot.settle(.failure(CancellationError()))
        }
    }

    /// Waits for graceful shutdown (the HTTP server has stopped by then, in-flight requests
    /// answered), then lets the pool finish what it holds.
    func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdownGracefully()
    }
}
