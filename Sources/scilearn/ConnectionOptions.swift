import ArgumentParser
import SciLearnHTTP

/// `scilearn serve`'s connection limits and timeouts (Docs/http.md, "Connection limits").
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Seconds a connection has to send a complete request head, from its accept or a later request's first byte.")
    var headerTimeout: Double = 10

    @Option(help: "Longest pause, in seconds, allowed in a request body; past it, 408 and the connection is closed.")
    var bodyTimeout: Double = 10

    @Option(help: "Seconds a keep-alive connection may wait between requests.")
    var idleTimeout: Double = 75

    @Option(help: "Most open connections (lowered to the open-file limit less 256); at the limit the longest-idle one is closed.")
    var maxConnections: Int = 10_000

    @Option(help: "Most request bodies being read at once, across /v1/run and /v1/jobs; beyond it, 503.")
    var maxUploads: Int = 64

    @Option(help: "Most bytes of request bodies held at once across all routes. Default: 4 x --max-body.")
    var maxUploadMemory: Int?

    func validate() throws {
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)] {
            guard value.isFinite, value > 0, value <= 86_400 else {
                throw ValidationError("\(name) must be a number of seconds in (0, 86400], not \(value)")
            }
        }
        guard (1...1_000_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be in 1...1000000, not \(maxConnections)")
        }
        guard (1...100_000).contains(maxUploads) else {
            throw ValidationError("--max-uploads must be in 1...100000, not \(maxUploads)")
        }
        if let m = maxUploadMemory, m < 1 {
            throw ValidationError("--max-upload-memory must be >= 1 byte, not \(m)")
        }
    }

    /// Applies these options to `configuration`, with the connection limit lowered to what the
    /// open-file limit allows (`descriptors`).
    func apply(to configuration: inout HTTPServerConfiguration, descriptors: Int) {
        configuration.headerTimeout = Self.duration(headerTimeout)
        configuration.bodyTimeout = Self.duration(bodyTimeout)
        configuration.idleTimeout = Self.duration(idleTimeout)
        configuration.maxConnections = FileDescriptorLimit.maxConnections(requested: maxConnections, descriptors: descriptors)
        configuration.maxUploads = maxUploads
        configuration.maxUploadBytes = maxUploadMemory ?? 4 * configuration.maxBodyBytes
    }

    static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
