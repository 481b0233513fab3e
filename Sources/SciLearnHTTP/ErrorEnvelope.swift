import Hummingbird
import SciLearnService

/// HTTP responses carrying a job response: the contract's JSON envelope under the status the
/// contract's table (`ErrorCode.httpStatus`, shared with every adapter) maps its code to.
enum ErrorEnvelope {
    static let jsonContentType = "application/json"

    /// A job response with its status: 200 for ok, the mapped status for an error.
    static func response(for job: JobResponse, headers: HTTPFields = [:]) -> Response {
        response(json: job.json, code: job.errorCode, headers: headers)
    }

    /// An already serialised response with the status of its error code (200 when nil).
    static func response(json: String, code: ErrorCode?, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = jsonContentType
        let status = code.map { HTTPResponse.Status(code: $0.httpStatus) } ?? .ok
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// An error the transport produced itself.
    static func response(_ code: ErrorCode, _ message: String, headers: HTTPFields = [:]) -> Response {
        response(for: .failure(code, message), headers: headers)
    }
}
