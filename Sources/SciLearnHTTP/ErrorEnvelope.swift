import Hummingbird
import SciLearnService

/// HTTP responses carrying a job response: the contract's JSON envelope under the status the
/// contract's table (`ErrorCode.httpStatus`, shared with every adapter) maps its code to.
enum ErrorEnvelope {
    static let jsonContentType = "application/json"

    /// A job response with its status: 200 for ok, the mapped status for an error.
    static func response(for job: JobResponse, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = jsonContentType
        let status = job.errorCode.map { HTTPResponse.Status(code: $0.httpStatus) } ?? .ok
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: job.json)))
    }

    /// An error the transport produced itself.
    static func response(_ code: ErrorCode, _ message: String, headers: HTTPFields = [:]) -> Response {
        response(for: .failure(code, message), headers: headers)
    }
}
