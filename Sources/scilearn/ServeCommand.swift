import ArgumentParser
import Foundation
import Logging
import SciLearnHTTP
import SciLearnService

/// `scilearn serve`: the HTTP adapter, until SIGTERM or SIGINT (then: stop accepting, finish
/// in-flight requests, exit 0).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the job contract over HTTP: POST /v1/run, GET /healthz, GET /metrics.",
        discussion: "SIGTERM or SIGINT stops accepting connections, finishes in-flight requests and exits 0."
    )

    @Option(help: "Address to bind (0.0.0.0 to serve other machines).")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Most jobs running at once; beyond it requests get 503 with Retry-After. Default: the core count.")
    var concurrency: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Largest request body in bytes; larger ones get 413 before they are read whole.")
    var maxBody: Int = ServiceLimits().maxBodyBytes

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
        guard maxBody >= 1 else { throw ValidationError("--max-body must be >= 1, not \(maxBody)") }
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds in (0, 86400], not \(timeout)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; not '\(logLevel)'")
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
        let configuration = HTTPServerConfiguration(
            host: host,
            port: port,
            concurrency: concurrency,
            maxBodyBytes: maxBody,
            timeout: .nanoseconds(Int64((timeout * 1e9).rounded())),
            apiKey: key
        )
        logger.notice("starting", metadata: [
            "concurrency": .stringConvertible(concurrency),
            "max_body": .stringConvertible(maxBody),
            "timeout_s": .stringConvertible(timeout),
            "auth": .string(key == nil ? "off" : "bearer"),
        ])
        try await buildApplication(configuration, logger: logger).runService()
        logger.notice("stopped")
    }
}
