import AsyncHTTPClient
import Foundation
import NIOCore
import SciLearnService

/// The AWS Lambda Runtime API loop of a custom runtime (a container image's entry point): `GET
/// /2018-06-01/runtime/invocation/next` for an event, the ``LambdaHandler``'s answer to
/// `.../invocation/{id}/response`, or, when the handler throws, `{"errorMessage", "errorType"}`
/// to `.../invocation/{id}/error` with `Lambda-Runtime-Function-Error-Type`; then the next
/// event. A failure before the loop (bad configuration) goes to `/runtime/init/error`.
///
/// Each invocation's job is cancelled (its ``CancellationToken`` tripped) one second before
/// `Lambda-Runtime-Deadline-Ms`, so that a job that would run out of time answers `timeout`
/// rather than being killed mid-write.
public struct LambdaRuntime: Sendable {
    /// `host:port` of the Runtime API (`AWS_LAMBDA_RUNTIME_API`).
    public let api: String
    public let handler: LambdaHandler
    let http: HTTPClient

    public init(api: String, handler: LambdaHandler, http: HTTPClient = .shared) {
        self.api = api
        self.handler = handler
        self.http = http
    }

    var base: String { "http://\(api)/2018-06-01/runtime" }

    /// Runs invocations until the Runtime API fails (then throws), or `limit` invocations (tests).
    public func run(limit: Int? = nil) async throws {
        var handled = 0
        while limit.map({ handled < $0 }) ?? true {
            try await invokeNext()
            handled += 1
        }
    }

    /// Reports an initialisation failure (`/runtime/init/error`).
    public func reportInitError(_ message: String, type: String = "Runtime.InitError") async throws {
        try await post("\(base)/init/error", Self.errorBody(message, type: type), errorType: type)
    }

    func invokeNext() async throws {
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
        let token = CancellationToken()
        var watchdog: Task<Void, Never>? = nil
        if let ms = response.headers.first(name: "Lambda-Runtime-Deadline-Ms").flatMap(Double.init) {
            let remaining = ms / 1000 - Date().timeIntervalSince1970 - 1
            if remaining <= 0 { token.cancel() }
            watchdog = Task {
                try? await Task.sleep(for: .milliseconds(Int(max(0, remaining) * 1000)))
                if !Task.isCancelled { token.cancel() }
            }
        }
        defer { watchdog?.cancel() }
        do {
            let answer = try await handler.handle(event, cancellation: token)
            try await post("\(base)/invocation/\(id)/response", answer, errorType: nil)
        } catch {
            let type = error is LambdaEventError ? "Runtime.InvalidEvent" : "Runtime.HandlerError"
            try await post("\(base)/invocation/\(id)/error", Self.errorBody(String(describing: error), type: type), errorType: type)
        }
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

    static func errorBody(_ message: String, type: String) -> [UInt8] {
        Array(JSONValue.object(["errorMessage": .string(message), "errorType": .string(type)]).jsonText.utf8)
    }
}
