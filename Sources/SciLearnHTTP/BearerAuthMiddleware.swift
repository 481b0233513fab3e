import Hummingbird
import SciLearnService

/// Optional API-key auth: every path but the exempt ones (`/healthz`) needs
/// `Authorization: Bearer <key>`; anything else is `unauthorized` (401) before any work is done.
/// The comparison takes time that depends only on the lengths involved, never on where the
/// first differing byte is.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: [UInt8]
    let exempt: Set<String>
    let metrics: ServerMetrics

    init(key: String, exempt: Set<String>, metrics: ServerMetrics) {
        self.key = Array(key.utf8)
        self.exempt = exempt
        self.metrics = metrics
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if exempt.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            return unauthorized("missing Authorization header; send 'Authorization: Bearer <api key>'")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return unauthorized("Authorization must use the Bearer scheme: 'Authorization: Bearer <api key>'")
        }
        let token = Array(parts[1].trimmingPrefix(" ").utf8)
        guard Self.constantTimeEqual(token, key) else {
            return unauthorized("invalid API key")
        }
        return try await next(request, context)
    }

    private func unauthorized(_ message: String) -> Response {
        metrics.recordFailure(.unauthorized)
        return ErrorEnvelope.response(.unauthorized, message, headers: [.wwwAuthenticate: #"Bearer realm="scilearn""#])
    }

    /// Equality of two byte strings in time proportional to the longer one, without an early exit.
    @inline(never)
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff: UInt8 = a.count == b.count ? 0 : 1
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            diff |= x ^ y
        }
        return diff == 0
    }
}
