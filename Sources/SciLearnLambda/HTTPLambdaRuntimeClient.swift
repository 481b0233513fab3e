import AsyncHTTPClient
import Foundation
import NIOCore

/// The AWS Lambda Runtime API over HTTP (`AWS_LAMBDA_RUNTIME_API`, version `2018-06-01`).
public struct HTTPLambdaRuntimeClient: LambdaRuntimeClient {
    /// `host:port` of the Runtime API.
    public let api: String
    let http: HTTPClient

    /// A client of the Runtime API at `api` (`host:port`).
    public init(api: String, http: HTTPClient = .shared) {
        self.api = api
        self.http = http
    }

    var base: String { "http://\(api)/2018-06-01/runtime" }

    /// `GET /runtime/invocation/next`, without a timeout.
    public func nextInvocation() async throws -> LambdaInvocation {
        var request = HTTPClientRequest(url: "\(base)/invocation/next")
        request.method = .GET
        // The next event may be hours away: no timeout on this call.
        let response = try await http.execute(request, deadline: .distantFuture)
        guard response.status == .ok else {
            throw LambdaEventError("the Runtime API answered \(response.status.code) to invocation/next")
        }
        guard let id = response.headers.first(name: "Lambda-Runtime-Aws-Request-Id") else {
            throw LambdaEventError("invocation/next carried no Lambda-Runtime-Aws-Request-Id")
        }
        let event = Array(buffer: try await response.body.collect(upTo: 256 << 20))
        let deadline = response.headers.first(name: "Lambda-Runtime-Deadline-Ms").flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) }
        return LambdaInvocation(requestID: id, deadline: deadline, event: event)
    }

    /// `POST /runtime/invocation/{id}/response`.
    public func reportResponse(_ body: [UInt8], requestID: String) async throws {
        try await post("\(base)/invocation/\(requestID)/response", body, errorType: nil)
    }

    /// `POST /runtime/invocation/{id}/error`.
    public func reportError(_ error: LambdaErrorReport, requestID: String) async throws {
        try await post("\(base)/invocation/\(requestID)/error", error.body, errorType: error.type)
    }

    /// `POST /runtime/init/error`.
    public func reportInitError(_ error: LambdaErrorReport) async throws {
        try await post("\(base)/init/error", error.body, errorType: error.type)
    }

    func post(_ url: String, _ body: [UInt8], errorType: String?) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let errorType { request.headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw LambdaEventError("the Runtime API answered \(response.status.code) to \(url)")
        }
    }
}
