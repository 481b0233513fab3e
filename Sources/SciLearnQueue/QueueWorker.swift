import Foundation
import Logging
import SciLearnService
import ServiceLifecycle
import Synchronization

/// Runs jobs from a ``JobQueue`` through ``SciLearnService`` with Lambda's semantics
/// (CONTRACT.md, "Queue"; Docs/queue.md):
///
/// - runs at most `concurrency` jobs at once, on job threads of its own (``JobLanes``: a thread
///   that ends a job starts the next ready one without a hand-off); holds at most 8 × `concurrency` messages
///   unsettled (waiting for a slot, running, or waiting for their commit); asks for the next
///   batch as soon as a batch arrives if that bound has room, so that the next batch is at hand
///   when a slot frees and the next job runs while the last one's records go to disk;
/// - a delivery of a job that already succeeded (or failed with a client error) is deleted
///   without running again;
/// - success: the record goes to the success destination, and only then is the message deleted;
/// - a client error goes to the failure destination (`ClientError`) at once, not retried;
/// - any other failure is retried after an exponential backoff (the message's visibility),
///   and on delivery `maxReceiveCount` it is recorded `RetriesExhausted` and dead-lettered;
///   a message delivered more often than that without a verdict (its worker died each time) is
///   dead-lettered without running;
/// - a heartbeat renews the visibility of running jobs every third of the timeout;
/// - graceful shutdown (SIGTERM through swift-service-lifecycle) stops receiving, lets running
///   jobs finish within `drainTimeout`, then cancels any still running (the engine stops at its
///   next check point, within milliseconds) and releases their messages at once for another
///   worker (a retry that does not count against the job: the worker, not the job, stopped).
///
/// Finished jobs are committed in groups: whatever finished while the previous commit was on
/// disk goes in the next, records and deletes in one transaction when queue and destinations
/// share one SQLite file.
public final class QueueWorker: Service {
    /// Runs one request body under a job id and a cancellation token (tripped when the worker
    /// stops past its drain deadline). Default: `SciLearnService.run(body:assignedID:cancellation:)`.
    public typealias Runner = @Sendable ([UInt8], String, CancellationToken) -> JobResponse

    /// The queue jobs come from.
    public let queue: any JobQueue
    /// Where successes are recorded.
    public let success: any JobDestination
    /// Where client errors and exhausted retries are recorded.
    public let failure: any JobDestination
    /// The settings the worker runs with.
    public let configuration: QueueWorkerConfiguration
    private let runner: Runner
    private let logger: Logger
    private let committer: GroupCommitter
    /// The job threads (`concurrency` of them), created by ``run()``.
    private let lanes = Mutex<JobLanes<Ready>?>(nil)
    /// Received and not yet settled (running, or waiting for their commit).
    private let unsettled: WorkerSlots
    private let inFlight = Mutex<[String: QueueMessage]>([:])
    /// The tokens of the jobs running now, by receipt handle.
    private let running = Mutex<[String: CancellationToken]>([:])
    private let stats = Mutex(Statistics())
    private let stopping = Atomic<Bool>(false)
    private let receiving = Mutex<Task<[QueueMessage], any Error>?>(nil)
    private let runLog: RunLog?
    /// Where the heartbeat and the drain deadline read the time.
    private let clock: any QueueClock
    private let observers = Mutex<[@Sendable (JobResponse) -> Void]>([])

    /// A worker on `queue` and the destinations; throws ``QueueError`` for an invalid configuration or a run log that cannot be opened.
    public init(
        queue: any JobQueue,
        success: any JobDestination,
        failure: any JobDestination,
        configuration: QueueWorkerConfiguration = QueueWorkerConfiguration(),
        logger: Logger = Logger(label: "scilearn.worker"),
        runner: Runner? = nil,
        clock: any QueueClock = SystemQueueClock()
    ) throws {
        try configuration.validate()
        self.clock = clock
        self.queue = queue
        self.success = success
        self.failure = failure
        self.configuration = configuration
        self.logger = logger
        let service = SciLearnService(limits: configuration.limits, dataSource: configuration.dataSource)
        self.runner = runner ?? { body, id, token in service.run(body: body, assignedID: id, cancellation: token) }
        self.committer = GroupCommitter(queue: queue, success: success, failure: failure)
        self.unsettled = WorkerSlots(configuration.concurrency * QueueWorkerConfiguration.unsettledPerSlot)
        self.runLog = try configuration.runLogPath.map(RunLog.init)
    }

    /// Calls `observer` with the response of every job this worker runs (metrics).
    public func observe(_ observer: @escaping @Sendable (JobResponse) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// The counts since start, as of now.
    public var statistics: Statistics { stats.withLock { $0 } }

    /// Messages received and not yet settled.
    public var inFlightCount: Int { inFlight.withLock { $0.count } }

    /// Runs until graceful shutdown (or cancellation), then drains.
    public func run() async throws {
        logger.notice("worker started", metadata: [
            "concurrency": .stringConvertible(configuration.concurrency),
            "visibility_timeout_s": .stringConvertible(configuration.visibilityTimeout.seconds),
            "max_receive_count": .stringConvertible(configuration.maxReceiveCount),
        ])
        let jobLanes = JobLanes<Ready>(count: configuration.concurrency, name: "scilearn.job") { [weak self] ready in
            self?.runOnLane(ready)
        }
        lanes.withLock { $0 = jobLanes }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.heartbeat() }
                await self.receiveLoop()
                // Stopping: what was not started goes back to the queue at once.
                let waiting = jobLanes.takeWaiting()
                if !waiting.isEmpty { await self.settle(waiting.map(\.message), release: true) }
                await self.drain()
                self.stopping.store(true, ordering: .relaxed)
                self.unsettled.close()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stop()
        }
        jobLanes.close()
        logger.notice("worker stopped", metadata: ["statistics": "\(statistics)"])
    }

    /// A received message ready to run, with its job id.
    struct Ready: Sendable {
        var message: QueueMessage
        var id: String
    }

    /// Stops receiving; ``run()`` then drains and returns.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        unsettled.close()
        receiving.withLock { $0?.cancel() }
    }

    /// Receives a batch while fewer than 8 × `concurrency` messages are unsettled, asks for the
    /// next one at once, and hands each message to the job threads (a duplicate of a finished
    /// job, or one delivered past `maxReceiveCount`, is settled without running). Jobs run on
    /// the job threads, not in ``run()``'s task group: one still running at the drain deadline
    /// must not hold ``run()`` (its message is released; it ends with the process).
    private func receiveLoop() async {
        var failures = 0
        var prefetched: Task<[QueueMessage], any Error>? = nil
        while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
            let task: Task<[QueueMessage], any Error>
            if let next = prefetched {
                task = next
                prefetched = nil
            } else {
                let room = await unsettled.waitForFree()
                guard room > 0, !stopping.load(ordering: .relaxed) else { break }
                task = receive(min(room, configuration.batchSize))
            }
            if stopping.load(ordering: .relaxed) { task.cancel() }
            let messages: [QueueMessage]
            do {
                messages = try await task.value
                failures = 0
            } catch {
                if stopping.load(ordering: .relaxed) { break }
                failures += 1
                logger.error("receive failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(min(100 << min(failures, 6), 5_000)))
                continue
            }
            guard !messages.isEmpty else { continue }
            unsettled.take(messages.count)
            // The next batch is asked for now, while this one runs, if the unsettled bound has
            // room: a slot that frees at the end of this batch finds messages at hand instead of
            // waiting for a receive (which waits for the writer behind the group commit).
            let room = unsettled.freeNow
            if room > 0 && !stopping.load(ordering: .relaxed) {
                prefetched = receive(min(room, configuration.batchSize))
            }
            inFlight.withLock { m in for msg in messages { m[msg.receiptHandle] = msg } }
            let jobs = messages.map { ($0, jobID(of: $0)) }
            let done: [String: RecordedOutcome]
            do {
                done = try await finishedOutcomes(jobs.map(\.1))
            } catch {
                // Cannot check idempotency: let the messages come back rather than risk a rerun.
                logger.error("result lookup failed; releasing the batch", metadata: ["error": "\(error)"])
                await settle(jobs.map(\.0), release: true)
                continue
            }
            let jobLanes = lanes.withLock { $0 }
            for (message, id) in jobs {
                if let outcome = done[id] {
                    Task { await self.skipDuplicate(message, id: id, outcome: outcome) }
                } else if message.receiveCount > configuration.maxReceiveCount {
                    Task { await self.exhaustUnrun(message, id: id) }
                } else {
                    jobLanes?.submit(Ready(message: message, id: id))
                }
            }
        }
        // A receive still in flight at the stop: its messages go back at once.
        if let next = prefetched {
            next.cancel()
            if let messages = try? await next.value, !messages.isEmpty {
                unsettled.take(messages.count)
                inFlight.withLock { m in for msg in messages { m[msg.receiptHandle] = msg } }
                await settle(messages, release: true)
            }
        }
    }

    /// Starts a receive of up to `want` messages, cancellable by ``stop()``.
    private func receive(_ want: Int) -> Task<[QueueMessage], any Error> {
        let task = Task { [queue, configuration] in
            try await queue.receive(max: want, visibilityTimeout: configuration.visibilityTimeout, wait: configuration.wait)
        }
        receiving.withLock { $0 = task }
        return task
    }

    /// The job id of a message: the producer's, else the body's `id`, else the message id.
    private func jobID(of message: QueueMessage) -> String {
        if let id = message.jobID { return id }
        if let id = JobRequest.givenID(in: message.body, limits: configuration.limits) { return id }
        return message.messageID
    }

    /// Jobs already succeeded, or failed with a client error (which a rerun would repeat).
    private func finishedOutcomes(_ ids: [String]) async throws -> [String: RecordedOutcome] {
        var found = try await success.outcomes(for: ids)
        let rest = ids.filter { found[$0] == nil }
        for (id, outcome) in try await failure.outcomes(for: rest) where outcome.condition == .clientError {
            found[id] = outcome
        }
        return found
    }

    private func skipDuplicate(_ message: QueueMessage, id: String, outcome: RecordedOutcome) async {
        logger.info("duplicate delivery of a finished job; deleted without running", metadata: [
            "job.id": .string(id), "job.condition": .string(outcome.condition.rawValue),
            "receive_count": .stringConvertible(message.receiveCount),
        ])
        stats.withLock { $0.duplicates += 1 }
        await commit(message, success: nil, failure: nil)
    }

    /// A message delivered more often than `maxReceiveCount` without a verdict (its workers died
    /// each time): dead-lettered without running.
    private func exhaustUnrun(_ message: QueueMessage, id: String) async {
        let response = JobResponse.failure(
            .internal, "delivered \(message.receiveCount) times without a result (max_receive_count \(configuration.maxReceiveCount)): the worker stopped each time", id: id)
        await exhaust(message, id: id, response: response)
    }

    /// On a job thread: runs the job, then hands its outcome to the async side.
    private func runOnLane(_ ready: Ready) {
        runLog?.append(ready.id)
        let token = CancellationToken()
        let handle = ready.message.receiptHandle
        running.withLock { $0[handle] = token }
        let response = runner(ready.message.body, ready.id, token)
        running.withLock { $0[handle] = nil }
        // Cancelled by the drain, which releases the message itself.
        if token.isCancelled { return }
        Task { await self.complete(ready.message, id: ready.id, response: response) }
    }

    /// Records (or retries, or dead-letters) a job that ran.
    private func complete(_ message: QueueMessage, id: String, response: JobResponse) async {
        let max = configuration.maxReceiveCount
        for observe in observers.withLock({ $0 }) { observe(response) }
        switch response.errorCode {
        case nil:
            stats.withLock { $0.succeeded += 1 }
            await commit(message, success: record(message, id, .success, response), failure: nil)
        case let code? where !code.isRetried:
            stats.withLock { $0.failed += 1 }
            await commit(message, success: nil, failure: record(message, id, .clientError, response))
        case let code?:
            if message.receiveCount >= max {
                await exhaust(message, id: id, response: response)
            } else {
                let delay = configuration.backoff.delay(afterAttempt: message.receiveCount)
                logger.warning("job failed; retrying after backoff", metadata: [
                    "job.id": .string(id), "error.code": .string(code.rawValue),
                    "receive_count": .stringConvertible(message.receiveCount), "backoff_s": .stringConvertible(delay.seconds),
                ])
                stats.withLock { $0.retried += 1 }
                await settle([message], release: false, visibility: delay)
            }
        }
    }

    /// Records `RetriesExhausted` and moves the message to the dead-letter queue.
    private func exhaust(_ message: QueueMessage, id: String, response: JobResponse) async {
        let r = record(message, id, .retriesExhausted, response)
        do {
            try await committer.deadLetter(r, message: message, reason: Self.reason(response))
            stats.withLock { $0.deadLettered += 1 }
            logger.error("job dead-lettered", metadata: ["job.id": .string(id), "receive_count": .stringConvertible(message.receiveCount)])
        } catch {
            logger.error("dead-lettering failed; the message will come back", metadata: ["job.id": .string(id), "error": "\(error)"])
        }
        forget(message)
    }

    private static func reason(_ response: JobResponse) -> String {
        if case .failure(let e) = response.outcome { return "\(e.code.rawValue): \(e.message)" }
        return ""
    }

    private func record(_ message: QueueMessage, _ id: String, _ condition: DestinationRecord.Condition, _ response: JobResponse) -> DestinationRecord {
        DestinationRecord(
            jobID: id, condition: condition, approximateInvokeCount: message.receiveCount, timestamp: clock.now,
            statusCode: response.errorCode?.httpStatus ?? 200, requestPayload: message.body, responsePayload: response.json
        )
    }

    /// Records (if any) and deletes, in the next group commit.
    private func commit(_ message: QueueMessage, success: DestinationRecord?, failure: DestinationRecord?) async {
        do {
            try await committer.commit(success: success, failure: failure, delete: message.receiptHandle)
        } catch {
            logger.error("commit failed; the message will come back after its visibility timeout", metadata: [
                "message.id": .string(message.messageID), "error": "\(error)",
            ])
        }
        forget(message)
    }

    /// Makes messages visible again after `visibility` (0 with `release`).
    private func settle(_ messages: [QueueMessage], release: Bool, visibility: Duration = .zero) async {
        do {
            try await queue.changeVisibility(messages.map(\.receiptHandle), timeout: release ? .zero : visibility)
            if release { stats.withLock { $0.released += messages.count } }
        } catch {
            logger.error("visibility change failed; the message will come back after its visibility timeout", metadata: ["error": "\(error)"])
        }
        for m in messages { forget(m) }
    }

    private func forget(_ message: QueueMessage) {
        let was = inFlight.withLock { $0.removeValue(forKey: message.receiptHandle) }
        if was != nil { unsettled.give(1) }
    }

    /// Renews the visibility of every in-flight message every third of the timeout.
    private func heartbeat() async {
        let every = configuration.visibilityTimeout / 3
        while !Task.isCancelled {
            try? await clock.sleep(for: every)
            let handles = inFlight.withLock { Array($0.keys) }
            guard !handles.isEmpty, !Task.isCancelled else { continue }
            do {
                try await queue.changeVisibility(handles, timeout: configuration.visibilityTimeout)
            } catch {
                logger.error("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Waits for in-flight jobs up to the drain timeout, then releases what is left.
    private func drain() async {
        let deadline = clock.now + configuration.drainTimeout
        while inFlightCount > 0 && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        // Past the deadline: stop the jobs still running, and give them a moment to unwind, so
        // that no job runs here and on the worker that receives it next at once.
        let tokens = running.withLock { Array($0.values) }
        for token in tokens { token.cancel() }
        let unwound = ContinuousClock.now + .milliseconds(500)
        while running.withLock({ !$0.isEmpty }) && ContinuousClock.now < unwound {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let left = inFlight.withLock { Array($0.values) }
        if !left.isEmpty {
            logger.warning("drain timeout: cancelled running jobs; releasing unfinished messages", metadata: [
                "count": .stringConvertible(left.count), "cancelled": .stringConvertible(tokens.count),
            ])
            await settle(left, release: true)
        }
    }
}
