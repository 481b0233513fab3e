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
    /// Per-request deadline, from the request's head to its response, covering the upload and
    /// the job; past it the answer is 504 and the job is cancelled.
    public var timeout: Duration
    /// Time a connection has to send a complete request head: from its accept, or from the
    /// first byte of a later request on it (default 10 s). A connection that sends nothing in
    /// that time is closed; one that sent part of a head gets 408.
    public var headerTimeout: Duration
    /// Longest pause in a request body (default 10 s): a client that sends no body byte for this
    /// long gets 408 and its connection is closed (progress-based, like nginx's
    /// `client_body_timeout`, so a slow but steady upload is not cut off).
    public var bodyTimeout: Duration
    /// How long a keep-alive connection may wait between requests (default 75 s, nginx's: longer
    /// than the 60 s idle timeout of AWS load balancers, so the balancer, not the server, closes
    /// an idle connection and never reuses one the server is closing).
    public var idleTimeout: Duration
    /// Most open connections (default 10,000, lowered to the descriptor limit less 256 at
    /// start). At the limit a new connection closes the longest-idle one; when none is idle the
    /// new one is closed at once.
    public var maxConnections: Int
    /// Most request bodies being read at once, across `/v1/run` and `/v1/jobs` (default 64);
    /// beyond it, 503 before the body is read.
    public var maxUploads: Int
    /// Most bytes of request bodies held at once across all routes (default 4 × ``maxBodyBytes``:
    /// 256 MiB); a body that would take it past the budget is 503 before (or as soon as) it
    /// would, so a burst of large or stalled uploads cannot grow the process without bound.
    public var maxUploadBytes: Int
    /// When set, every path but `/healthz` needs `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// Seconds a 503 asks the client to wait (`Retry-After`).
    public var retryAfterSeconds: Int
    /// The service's other size limits (depth, cells); its body limit follows ``maxBodyBytes``.
    public var limits: ServiceLimits
    /// Where data given by reference is read (nil: references are refused).
    public var dataSource: (any DataSource)?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        concurrency: Int = System.coreCount,
        maxBodyBytes: Int = ServiceLimits().maxBodyBytes,
        timeout: Duration = .seconds(30),
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(75),
        maxConnections: Int = 10_000,
        maxUploads: Int = 64,
        maxUploadBytes: Int? = nil,
        apiKey: String? = nil,
        retryAfterSeconds: Int = 1,
        limits: ServiceLimits = ServiceLimits(),
        dataSource: (any DataSource)? = nil
    ) {
        self.host = host
        self.port = port
        self.concurrency = concurrency
        self.maxBodyBytes = maxBodyBytes
        self.timeout = timeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxUploads = maxUploads
        self.maxUploadBytes = maxUploadBytes ?? 4 * maxBodyBytes
        self.apiKey = apiKey
        self.retryAfterSeconds = retryAfterSeconds
        self.limits = limits
        self.dataSource = dataSource
    }

    /// The limits handed to the service: ``limits`` with the body limit of this server.
    public var serviceLimits: ServiceLimits {
        var l = limits
        l.maxBodyBytes = maxBodyBytes
        return l
    }
}
