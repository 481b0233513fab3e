import Hummingbird
import Logging
import NIOPosix
import SciLearnService

/// Builds the HTTP adapter: `POST /v1/run`, `GET /healthz`, `GET /metrics` (CONTRACT.md,
/// "HTTP"), with the concurrency limit, body limit, deadline and optional bearer auth of
/// `configuration`. `scilearn serve` runs it with `runService()` (graceful shutdown on SIGTERM
/// and SIGINT); tests drive it with HummingbirdTesting.
public func buildApplication(_ configuration: HTTPServerConfiguration, logger: Logger? = nil) -> some ApplicationProtocol {
    let service = SciLearnService(limits: configuration.serviceLimits)
    return buildApplication(configuration, logger: logger) { body in
        // One memcpy into [UInt8] here, where the type is concrete: handing the service (generic
        // over Collection, in another module) a ByteBufferView made it copy byte by byte.
        service.run(body: body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? [])
    }
}

/// The same, with the job runner replaced (tests use slow or blocking runners to reach the
/// concurrency limit and the deadline deterministically).
func buildApplication(
    _ configuration: HTTPServerConfiguration,
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
    runner: @escaping JobExecutor.Runner
) -> Application<RouterResponder<ServerRequestContext>> {
    let logger = logger ?? Logger(label: "scilearn")
    let metrics = ServerMetrics()
    let executor = JobExecutor(limit: configuration.concurrency, runner: runner, metrics: metrics)
    let endpoint = RunEndpoint(
        executor: executor,
        metrics: metrics,
        maxBodyBytes: configuration.maxBodyBytes,
        timeout: configuration.timeout,
        retryAfterSeconds: configuration.retryAfterSeconds,
        timers: MultiThreadedEventLoopGroup.singleton
    )

    let router = Router(context: ServerRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Outermost first: metrics see the final status, after errors became envelopes.
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorEnvelopeMiddleware(routes: Routes.methods, metrics: metrics))
    if let key = configuration.apiKey {
        router.add(middleware: BearerAuthMiddleware(key: key, exempt: [Routes.healthz], metrics: metrics))
    }
    router.post(RouterPath(Routes.run)) { request, context in
        await endpoint.handle(request, context: context)
    }
    router.get(RouterPath(Routes.healthz)) { _, _ in
        Response(status: .ok, headers: [.contentType: ErrorEnvelope.jsonContentType], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
    router.get(RouterPath(Routes.metrics)) { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: metrics.render()))
    }

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "scilearn"),
        services: [executor],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? -1) },
        eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
        logger: logger
    )
}
