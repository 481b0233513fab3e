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
    /// Runs one request body under a cancellation token. The production runner is
    /// `SciLearnService.run(body:cancellation:)`.
    typealias Runner = @Sendable (ByteBuffer, CancellationToken) -> JobResponse

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

    /// Whether every slot is taken now (a request can be refused before its body is read).
    var isFull: Bool { admitted.withLock { $0 >= limit } }

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
    /// passes, or with `CancellationError` when the calling task is cancelled (the client went
    /// away); either way the job's cancellation token is tripped, so a running job stops at the
    /// engine's next check point and only then frees its slot (within milliseconds: check
    /// points are at most ~10⁸ flops apart), and a job not yet started is skipped. `onEnd` runs
    /// on the pool thread when the job's work is over (the body's upload budget is released
    /// there).
    func run(_ body: ByteBuffer, ticket: AdmissionTicket, deadline: RequestDeadline? = nil,
             onEnd: @escaping @Sendable () -> Void = {}) async throws -> ExecutedJob {
        ticket.handOver()
        let slot = ResultSlot<ExecutedJob>()
        let token = CancellationToken()
        if let deadline, !deadline.wait(on: .job(slot, token)) {
            ticket.release()
            onEnd()
            throw RequestDeadline.Exceeded()
        }
        let runner = self.runner
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                slot.install(continuation)
                pool.submit { state in
                    guard state == .active, !slot.isSettled else {
                        ticket.release()
                        onEnd()
                        slot.settle(.failure(CancellationError()))
                        return
                    }
                    let start = ContinuousClock.now
                    let response = runner(body, token)
                    let json = response.json
                    let ms = (ContinuousClock.now - start).seconds * 1e3
                    // Free the slot before answering: a client that sends its next request as
                    // soon as it has this answer must find the slot free.
                    ticket.release()
                    onEnd()
                    slot.settle(.success(ExecutedJob(response: response, json: json, milliseconds: ms)))
                }
            }
        } onCancel: {
            token.cancel()
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
