import Hummingbird

/// Counts and times every request by method, route and status (the route as registered, or
/// `NotFound`, so that arbitrary paths do not grow the label set).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.recordRequest(
            method: request.method.rawValue,
            path: context.endpointPath ?? "NotFound",
            status: response.status.code,
            nanoseconds: (ContinuousClock.now - start).nanoseconds
        )
        return response
    }
}
