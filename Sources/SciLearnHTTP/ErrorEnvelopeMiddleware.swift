import Hummingbird
import SciLearnService

/// The outermost middleware: whatever goes wrong below it leaves as the contract's JSON error
/// envelope. An unknown path is `not_found` (404); a known path with another method is
/// `method_not_allowed` (405, with `Allow`); an error nobody anticipated is `internal` (500),
/// logged with the request id and never described to the client.
struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Methods of every route, by path (the router cannot tell 404 from 405 by itself).
    let routes: [String: [HTTPRequest.Method]]
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (code, response) = envelope(for: error, request: request, context: context)
            metrics.recordFailure(code)
            return response
        }
    }

    private func envelope(for error: any Error, request: Request, context: Context) -> (ErrorCode, Response) {
        switch error {
        case let error as any HTTPResponseError:
            if error.status == .notFound, let template = Routes.template(of: request.uri.path, in: routes.keys), let allowed = routes[template] {
                let names = allowed.map(\.rawValue).joined(separator: ", ")
                return (.methodNotAllowed, ErrorEnvelope.response(
                    .methodNotAllowed,
                    "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(names)",
                    headers: [.allow: names]
                ))
            }
            if error.status == .notFound {
                let known = routes.keys.sorted().joined(separator: ", ")
                return (.notFound, ErrorEnvelope.response(.notFound, "no route \(request.uri.path); the routes are \(known)"))
            }
            let code = Self.code(for: error.status)
            return (code, ErrorEnvelope.response(code, code == .internal ? "internal error (request id \(context.id))" : error.status.reasonPhrase))
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return (.internal, ErrorEnvelope.response(.internal, "internal error (request id \(context.id))"))
        }
    }

    /// The contract code for a status raised by the framework.
    static func code(for status: HTTPResponse.Status) -> ErrorCode {
        switch status.code {
        case 401: .unauthorized
        case 404: .notFound
        case 405: .methodNotAllowed
        case 408: .requestTimeout
        case 413: .tooLarge
        case 503: .overloaded
        case 504: .timeout
        // Anything else the framework refuses is about the HTTP request itself, not its JSON.
        case 400..<500: .badRequest
        default: .internal
        }
    }
}
