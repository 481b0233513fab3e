import Hummingbird
import HummingbirdCore
import Logging
import NIOPosix
import SciLearnService

/// Builds the HTTP adapter: `POST /v1/run`, `GET /healthz`, `GET /metrics` (CONTRACT.md,
/// "HTTP"), with the concurrency limit, body limit, deadline and optional bearer auth of
/// `configuration`; with `jobs`, also `POST /v1/jobs` and `GET /v1/jobs/{id}` on its queue, and
/// its embedded worker run as one of the application's services. `scilearn serve` runs it with
/// `runService()` (graceful shutdown on SIGTERM and SIGINT); tests drive it with
/// HummingbirdTesting.
public func buildApplication(_ configuration: HTTPServerConfiguration, jobs: AsyncJobs? = nil, logger: Logger? = nil) -> some ApplicationProtocol {
    let service = SciLearnService(limits: configuration.serviceLimits, dataSource: configuration.dataSource)
    return buildApplication(configuration, jobs: jobs, logger: logger) { body, token in
        // One memcpy into [UInt8] here, where the type is concrete: handing the service (generic
        // over Collection, in another module) a ByteBufferView made it copy byte by byte.
        service.run(body: body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? [], cancellation: token)
    }
}

/// The same, with the job runner replaced (tests use slow or blocking runners to reach the
/// concurrency limit and the deadline deterministically).
func buildApplication(
    _ configuration: HTTPServerConfiguration,
    jobs: AsyncJobs? = nil,
    metrics: ServerMetrics = ServerMetrics(),
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
    runner: @escaping JobExecutor.Runner
) -> Application<RouterResponder<ServerRequestContext>> {
    let logger = logger ?? Logger(label: "scilearn")
    let executor = JobExecutor(limit: configuration.concurrency, runner: runner, metrics: metrics)
    let registry = ConnectionRegistry(limit: configuration.maxConnections, logger: logger)
    let intake = BodyIntake(
        budget: UploadBudget(maxUploads: configuration.maxUploads, maxBytes: configuration.maxUploadBytes),
        maxBodyBytes: configuration.maxBodyBytes,
        retryAfterSeconds: configuration.retryAfterSeconds
    )
    let timers = MultiThreadedEventLoopGroup.singleton
    let endpoint = RunEndpoint(
        executor: executor,
        intake: intake,
        metrics: metrics,
        timeout: configuration.timeout,
        retryAfterSeconds: configuration.retryAfterSeconds,
        timers: timers
    )

    let router = Router(context: ServerRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Outermost first: metrics see the final status, after errors became envelopes.
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorEnvelopeMiddleware(routes: Routes.methods(async: jobs != nil), metrics: metrics))
    if let key = APIKey(configuration.apiKey) {
        router.add(middleware: BearerAuthMiddleware(key: key, exempt: [Routes.healthz], metrics: metrics))
    }
    router.post(RouterPath(Routes.run)) { request, context in
        await endpoint.handle(request, context: context)
    }
    router.get(RouterPath(Routes.healthz)) { _, _ in
        Response(status: .ok, headers: [.contentType: ErrorEnvelope.jsonContentType], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
    if let jobs {
        jobs.worker?.observe { response in
            metrics.recordJob(response)
            if let code = response.errorCode { metrics.recordFailure(code) }
        }
        let endpoint = JobsEndpoint(
            backend: jobs.backend, limits: configuration.serviceLimits, intake: intake, metrics: metrics,
            timeout: configuration.timeout, timers: timers
        )
        router.post(RouterPath(Routes.jobs)) { request, context in
            try await endpoint.submit(request, context: context)
        }
        router.get(RouterPath(Routes.routerPath(Routes.job))) { request, context in
            try await endpoint.status(request, context: context)
        }
    }
    router.get(RouterPath(Routes.metrics)) { _, _ in
        if let jobs, let depth = try? await jobs.backend.queue.depth() {
            metrics.recordQueue(depth, workerInFlight: jobs.worker?.inFlightCount)
        }
        let usage = intake.budget.usage, closed = registry.evictedAndRefused
        metrics.recordConnections(open: registry.count, evicted: closed.evicted, refused: closed.refused,
                                  uploads: usage.uploads, uploadBytes: usage.bytes)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: metrics.render()))
    }

    let timeouts = HTTPConnectionGuard.Timeouts(
        header: .nanoseconds(configuration.headerTimeout.nanoseconds),
        body: .nanoseconds(configuration.bodyTimeout.nanoseconds),
        idle: .nanoseconds(configuration.idleTimeout.nanoseconds)
    )
    return Application(
        router: router,
        server: HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, timeouts: timeouts, registry: registry)
        },
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "scilearn"),
        services: [executor] + (jobs?.worker.map { [$0] } ?? []),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? -1) },
        eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton),
        logger: logger
    )
}
