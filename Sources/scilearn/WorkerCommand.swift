import ArgumentParser
import Foundation
import Logging
import SciLearnQueue
import SciLearnService
import ServiceLifecycle

/// `scilearn worker`: runs queued jobs until SIGTERM or SIGINT (then: stop receiving, finish or
/// release in-flight jobs, exit 0).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run jobs from a queue, writing success and failure destination records.",
        discussion: "SIGTERM or SIGINT stops receiving, lets running jobs finish within --drain-timeout, then cancels the rest, releases their messages for another worker and exits 0. See Docs/queue.md."
    )

    @OptionGroup var queueOptions: QueueOptions

    @Option(help: "Jobs running at once. Default: the core count.")
    var concurrency: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Deliveries allowed before a retryable failure is dead-lettered.")
    var maxReceiveCount: Int = QueueWorkerConfiguration.defaultMaxReceiveCount

    @Option(help: "Seconds a received message stays invisible (renewed by a heartbeat while the job runs).")
    var visibilityTimeout: Double = 30

    @Option(help: "Seconds running jobs may take to finish after SIGTERM before they are cancelled and their messages released.")
    var drainTimeout: Double = 30

    @OptionGroup var limitOptions: LimitOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "notice"

    @Option(help: .hidden)
    var runLog: String?

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; not '\(logLevel)'")
        }
        _ = try workerConfiguration()
    }

    func workerConfiguration() throws -> QueueWorkerConfiguration {
        let maxSeconds = QueueWorkerConfiguration.maxVisibilityTimeout.seconds
        guard visibilityTimeout.isFinite, visibilityTimeout > 0, visibilityTimeout <= maxSeconds else {
            throw ValidationError("--visibility-timeout must be a number of seconds in (0, \(Int(maxSeconds))], not \(visibilityTimeout)")
        }
        guard drainTimeout.isFinite, drainTimeout >= 0, drainTimeout <= maxSeconds else {
            throw ValidationError("--drain-timeout must be a number of seconds in [0, \(Int(maxSeconds))], not \(drainTimeout)")
        }
        guard QueueWorkerConfiguration.concurrencyRange.contains(concurrency) else {
            throw ValidationError("--concurrency must be in \(QueueWorkerConfiguration.concurrencyRange), not \(concurrency)")
        }
        guard QueueWorkerConfiguration.maxReceiveCountRange.contains(maxReceiveCount) else {
            throw ValidationError("--max-receive-count must be in \(QueueWorkerConfiguration.maxReceiveCountRange), not \(maxReceiveCount)")
        }
        let c = QueueWorkerConfiguration(
            concurrency: concurrency,
            visibilityTimeout: .seconds(visibilityTimeout),
            maxReceiveCount: maxReceiveCount,
            drainTimeout: .seconds(drainTimeout),
            limits: limitOptions.limits,
            dataSource: try dataOptions.dataSource(),
            runLogPath: runLog
        )
        do {
            try c.validate()
        } catch {
            throw ValidationError(error.message)
        }
        return c
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "scilearn.worker")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        let backend = try queueOptions.open()
        let worker = try QueueWorker(
            queue: backend.queue, success: backend.success, failure: backend.failure,
            configuration: workerConfiguration(), logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
