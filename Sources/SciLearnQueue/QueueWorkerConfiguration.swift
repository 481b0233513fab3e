import Foundation
import SciLearnService

/// Settings of a ``QueueWorker``. Defaults are the production ones.
public struct QueueWorkerConfiguration: Sendable {
    /// Jobs running at once (default: the core count), one job thread each. The worker holds at
    /// most ``unsettledPerSlot`` × this many messages unsettled.
    public var concurrency: Int
    /// Most messages one receive asks for (SQS allows 10).
    public var batchSize: Int
    /// How long a received message stays invisible; the heartbeat renews it every third of it
    /// while the job runs.
    public var visibilityTimeout: Duration
    /// Deliveries allowed before a retryable failure is dead-lettered (SQS redrive policy's
    /// `maxReceiveCount`).
    public var maxReceiveCount: Int
    /// Backoff between retries of a retryable failure.
    public var backoff: RetryBackoff
    /// Long-poll wait of each receive.
    public var wait: Duration
    /// On SIGTERM, how long running jobs may take to finish; still running past it, their
    /// messages are released (made visible) for another worker.
    public var drainTimeout: Duration
    /// Limits applied to each request.
    public var limits: ServiceLimits
    /// Where data given by reference is read (nil: references are refused).
    public var dataSource: (any DataSource)?
    /// Diagnostics: a file to which each job id is appended as its run starts (the crash test
    /// counts runs with it). Nil: none.
    public var runLogPath: String?

    /// Messages a worker holds unsettled (waiting for a slot, running, or waiting for their
    /// commit) per slot: 8, so that receives come in full batches rather than one or two at a
    /// time behind the group commit (Docs/queue.md, "Capacity").
    public static let unsettledPerSlot = 8

    /// The default ``maxReceiveCount``: the one place it is spelled (the CLI's flags read it).
    public static let defaultMaxReceiveCount = 3

    /// Settings with the production defaults for anything not given (checked by ``validate()``, not here).
    public init(
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
        batchSize: Int = 10,
        visibilityTimeout: Duration = .seconds(30),
        maxReceiveCount: Int = QueueWorkerConfiguration.defaultMaxReceiveCount,
        backoff: RetryBackoff = RetryBackoff(),
        wait: Duration = .seconds(1),
        drainTimeout: Duration = .seconds(30),
        limits: ServiceLimits = ServiceLimits(),
        dataSource: (any DataSource)? = nil,
        runLogPath: String? = nil
    ) {
        self.concurrency = concurrency
        self.batchSize = batchSize
        self.visibilityTimeout = visibilityTimeout
        self.maxReceiveCount = maxReceiveCount
        self.backoff = backoff
        self.wait = wait
        self.drainTimeout = drainTimeout
        self.limits = limits
        self.dataSource = dataSource
        self.runLogPath = runLogPath
    }

    /// Allowed `concurrency` (one job thread each).
    public static let concurrencyRange = 1...1024
    /// Allowed `maxReceiveCount` (SQS's redrive policy range).
    public static let maxReceiveCountRange = 1...1000
    /// Largest `visibilityTimeout` (SQS's: 12 hours).
    public static let maxVisibilityTimeout = Duration.seconds(43_200)

    /// Checks every field; the message names the field at fault.
    public func validate() throws(QueueError) {
        guard Self.concurrencyRange.contains(concurrency) else {
            throw QueueError(.invalidArgument, "concurrency must be in \(Self.concurrencyRange), not \(concurrency)")
        }
        guard (1...10_000).contains(batchSize) else { throw QueueError(.invalidArgument, "batch size must be in 1...10000, not \(batchSize)") }
        guard visibilityTimeout > .zero, visibilityTimeout <= Self.maxVisibilityTimeout else {
            throw QueueError(.invalidArgument, "visibility timeout must be in (0, 43200] s (SQS's range), not \(visibilityTimeout.seconds) s")
        }
        guard Self.maxReceiveCountRange.contains(maxReceiveCount) else {
            throw QueueError(.invalidArgument, "max receive count must be in \(Self.maxReceiveCountRange) (SQS's range), not \(maxReceiveCount)")
        }
        guard backoff.base >= .zero, backoff.cap >= backoff.base else { throw QueueError(.invalidArgument, "backoff: need 0 <= base <= cap") }
        guard wait >= .zero, wait <= .seconds(20) else { throw QueueError(.invalidArgument, "wait must be in [0, 20] s (SQS's range), not \(wait.seconds) s") }
        guard drainTimeout >= .zero else { throw QueueError(.invalidArgument, "drain timeout must be >= 0") }
    }
}
