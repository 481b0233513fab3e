import NIOCore
import SciLearnService

/// Settings of the HTTP adapter (`scilearn serve`). Defaults are the production ones.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind. Loopback by default; `0.0.0.0` to serve other machines (or a container).
    public var host: String
    /// TCP port; 0 picks a free one (tests).
    public var port: Int
    /// Most jobs running at once (default: the core count), one pool thread each; must be >= 1
    /// (`buildApplication` traps otherwise; `scilearn serve` validates it). Beyond it requests
    /// get 503 at once.
    public var concurrency: Int
    /// Largest request body in bytes (default 64 MiB), enforced while the body streams in.
    public var maxBodyBytes: Int
    /// Per-request deadline, from admission to the response; past it the answer is 504.
    public var timeout: Duration
    /// When set, every path but `/healthz` needs `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// Seconds a 503 asks the client to wait (`Retry-After`).
    public var retryAfterSeconds: Int
    /// The service's other size limits (depth, cells); its body limit follows ``maxBodyBytes``.
    public var limits: ServiceLimits

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        concurrency: Int = System.coreCount,
        maxBodyBytes: Int = ServiceLimits().maxBodyBytes,
        timeout: Duration = .seconds(30),
        apiKey: String? = nil,
        retryAfterSeconds: Int = 1,
        limits: ServiceLimits = ServiceLimits()
    ) {
        self.host = host
        self.port = port
        self.concurrency = concurrency
        self.maxBodyBytes = maxBodyBytes
        self.timeout = timeout
        self.apiKey = apiKey
        self.retryAfterSeconds = retryAfterSeconds
        self.limits = limits
    }

    /// The limits handed to the service: ``limits`` with the body limit of this server.
    public var serviceLimits: ServiceLimits {
        var l = limits
        l.maxBodyBytes = maxBodyBytes
        return l
    }
}
