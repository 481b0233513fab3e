import Foundation
import SciLearnService

/// The parts of an API Gateway proxy event the handler uses: HTTP API (payload format 2.0:
/// `requestContext.http.method`, `rawPath`) or REST API (1.0: `httpMethod`, `path`), with the
/// body decoded from base64 when `isBase64Encoded`, and the `Authorization` header (header
/// names are case-insensitive: 2.0 lowercases them, 1.0 keeps the client's spelling).
struct APIGatewayRequest {
    var method: String
    var path: String
    var body: [UInt8]?
    var authorization: String?

    /// nil when the event is not an API Gateway proxy event.
    init?(_ event: JSONObject) {
        if case .string("2.0")? = event["version"], case .object(let context)? = event["requestContext"],
           case .object(let http)? = context["http"], case .string(let m)? = http["method"] {
            method = m
            if case .string(let p)? = event["rawPath"] { path = p } else if case .string(let p)? = http["path"] { path = p } else { path = "/" }
        } else if case .string(let m)? = event["httpMethod"], case .string(let p)? = event["path"] {
            method = m
            path = p
        } else {
            return nil
        }
        method = method.uppercased()
        authorization = nil
        if case .object(let headers)? = event["headers"] {
            for (name, value) in headers.entries where name.lowercased() == "authorization" {
                if case .string(let v) = value { authorization = v }
            }
        }
        switch event["body"] {
        case .string(let text)?:
            if case .bool(true)? = event["isBase64Encoded"] {
                body = Data(base64Encoded: text).map { Array($0) } ?? []
            } else {
                body = Array(text.utf8)
            }
        default:
            body = nil
        }
    }
}
