import ArgumentParser
import Foundation
import Logging
import SciLearnHTTP
import SciLearnBackends
import SciLearnQueue
import SciLearnService

/// `scilearn serve`: the HTTP adapter, until SIGTERM or SIGINT (then: stop accepting, finish
/// in-flight requests, exit 0).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the job contract over HTTP: POST /v1/run, POST /v1/jobs, GET /v1/jobs/{id}, GET /healthz, GET /metrics.",
        discussion: """
            Async jobs go on --queue (default: the embedded SQLite queue in ./.scilearn/queue.db) and an embedded worker \
            runs them; --worker-concurrency 0 leaves them to separate 'scilearn worker' processes, --queue none turns the \
            async routes off. SIGTERM or SIGINT stops accepting connections, finishes in-flight requests, drains the \
            worker and exits 0.
            """
    )

    @Option(help: "The queue behind /v1/jobs: sqlite:PATH, an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME; credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION), or 'none' for no async routes.")
    var queue: String = QueueOptions.defaultQueue

    @OptionGroup var backendOptions: BackendOptions

    @Option(help: "Jobs the embedded worker runs at once (0: no embedded worker). Default: the core count.")
    var workerConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Deliveries allowed before a retryable failure is dead-lettered (embedded worker).")
    var maxReceiveCount: Int = QueueWorkerConfiguration.defaultMaxReceiveCount

    @Option(help: "Address to bind (0.0.0.0 to serve other machines).")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Most jobs running at once; beyond it requests get 503 with Retry-After. Default: the core count.")
    var concurrency: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var limitOptions: LimitOptions
    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var connectionOptions: ConnectionOptions

    @Option(help: "Per-request deadline in seconds; past it the answer is 504.")
    var timeout: Double = 30

    @Option(help: "Require 'Authorization: Bearer <key>' on every path but /healthz. Default: $SCILEARN_API_KEY, if set.")
    var apiKey: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535, not \(port)") }
        guard (1...1024).contains(concurrency) else {
            throw ValidationError("--concurrency must be in 1...1024 (one thread each), not \(concurrency)")
        }
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds in (0, 86400], not \(timeout)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; not '\(logLevel)'")
        }
        guard workerConcurrency == 0 || QueueWorkerConfiguration.concurrencyRange.contains(workerConcurrency) else {
            throw ValidationError("--worker-concurrency must be 0 (no embedded worker) or in \(QueueWorkerConfiguration.concurrencyRange), not \(workerConcurrency)")
        }
        guard QueueWorkerConfiguration.maxReceiveCountRange.contains(maxReceiveCount) else {
            throw ValidationError("--max-receive-count must be in \(QueueWorkerConfiguration.maxReceiveCountRange), not \(maxReceiveCount)")
        }
        if queue != "none" {
            do { _ = try QueueURI(queue, field: "--queue") } catch { throw ValidationError(error.message) }
        }
        if apiKey == "" { throw ValidationError("--api-key must not be empty") }
        if apiKey == nil, ProcessInfo.processInfo.environment["SCILEARN_API_KEY"] == "" {
            throw ValidationError("SCILEARN_API_KEY is set but empty; unset it or give a key")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "scilearn")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let key = apiKey ?? ProcessInfo.processInfo.environment["SCILEARN_API_KEY"]
        let descriptors = FileDescriptorLimit.raiseToHard()
        var configuration = HTTPServerConfiguration(
            host: host,
            port: port,
            concurrency: concurrency,
            maxBodyBytes: limitOptions.maxBody,
            timeout: .nanoseconds(Int64((timeout * 1e9).rounded())),
            apiKey: key,
            limits: limitOptions.limits,
            dataSource: try dataOptions.dataSource()
        )
        connectionOptions.apply(to: &configuration, descriptors: descriptors)
        var jobs: AsyncJobs?
        if queue != "none" {
            let backend = try backendOptions.open(queue: queue)
            var workerLogger = logger
            workerLogger[metadataKey: "component"] = "worker"
            let worker = try workerConcurrency == 0 ? nil : QueueWorker(
                queue: backend.queue, success: backend.success, failure: backend.failure,
                configuration: QueueWorkerConfiguration(
                    concurrency: workerConcurrency, maxReceiveCount: maxReceiveCount,
                    drainTimeout: .nanoseconds(Int64((timeout * 1e9).rounded())),
                    limits: configuration.serviceLimits,
                    dataSource: configuration.dataSource
                ),
                logger: workerLogger
            )
            jobs = AsyncJobs(backend: backend, worker: worker)
        }
        logger.notice("starting", metadata: [
            "queue": .string(queue),
            "worker_concurrency": .stringConvertible(jobs?.worker == nil ? 0 : workerConcurrency),
            "concurrency": .stringConvertible(concurrency),
            "max_body": .stringConvertible(limitOptions.maxBody),
            "max_job_memory": .stringConvertible(limitOptions.maxJobMemory),
            "max_job_work": .stringConvertible(limitOptions.maxJobWork),
            "timeout_s": .stringConvertible(timeout),
            "open_files": .stringConvertible(descriptors),
            "max_connections": .stringConvertible(configuration.maxConnections),
            "max_uploads": .stringConvertible(configuration.maxUploads),
            "max_upload_memory": .stringConvertible(configuration.maxUploadBytes),
            "auth": .string(key == nil ? "off" : "bearer"),
        ])
        try await buildApplication(configuration, jobs: jobs, logger: logger).runService()
        logger.notice("stopped")
    }
}
