import Hummingbird
import SciLearnService

/// Optional API-key auth: every path but the exempt ones (`/healthz`) needs
/// `Authorization: Bearer <key>` (the service's ``APIKey`` rule); anything else is
/// `unauthorized` (401) before any work is done.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: APIKey
    let exempt: Set<String>
    let metrics: ServerMetrics

    init(key: APIKey, exempt: Set<String>, metrics: ServerMetrics) {
        self.key = key
        self.exempt = exempt
        self.metrics = metrics
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if exempt.contains(request.uri.path) { return try await next(request, context) }
        if let message = key.refusal(authorization: request.headers[.authorization]) {
            metrics.recordFailure(.unauthorized)
            return ErrorEnvelope.response(.unauthorized, message, headers: [.wwwAuthenticate: APIKey.challenge])
        }
        return try await next(request, context)
    }
}
