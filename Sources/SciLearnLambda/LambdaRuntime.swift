import Foundation
import SciLearnService

/// The run loop of a custom Lambda runtime (a container image's entry point), generic over its
/// ``LambdaRuntimeClient`` as `swift-aws-lambda-runtime`'s is: the next invocation, the
/// ``LambdaHandler``'s answer as its response, or, when the handler throws, an error report
/// (`Runtime.InvalidEvent` for an event that is not one, `Runtime.HandlerError` otherwise);
/// then the next. A failure before the loop (bad configuration) goes to ``reportInitError(_:type:)``.
///
/// Each invocation's job is cancelled (its ``CancellationToken`` tripped) one second before the
/// invocation's deadline, so that a job that would run out of time answers `timeout` rather than
/// being killed mid-write.
public struct LambdaRuntime<Client: LambdaRuntimeClient>: Sendable {
    /// The Runtime API.
    public let client: Client
    /// What answers each event.
    public let handler: LambdaHandler

    /// A loop of `handler` over `client`'s invocations.
    public init(client: Client, handler: LambdaHandler) {
        self.client = client
        self.handler = handler
    }

    /// Runs invocations until the Runtime API fails (then throws), or `limit` invocations (tests).
    public func run(limit: Int? = nil) async throws {
        var handled = 0
        while limit.map({ handled < $0 }) ?? true {
            try await invokeNext()
            handled += 1
        }
    }

    /// Reports an initialisation failure.
    public func reportInitError(_ message: String, type: String = "Runtime.InitError") async throws {
        try await client.reportInitError(LambdaErrorReport(message: message, type: type))
    }

    /// Takes one invocation and reports its outcome.
    func invokeNext() async throws {
        let invocation = try await client.nextInvocation()
        let token = CancellationToken()
        var watchdog: Task<Void, Never>? = nil
        if let deadline = invocation.deadline {
            let remaining = deadline.timeIntervalSinceNow - 1
            if remaining <= 0 { token.cancel() }
            watchdog = Task {
                try? await Task.sleep(for: .milliseconds(Int(max(0, remaining) * 1000)))
                if !Task.isCancelled { token.cancel() }
            }
        }
        defer { watchdog?.cancel() }
        let answer: [UInt8]
        do {
            answer = try await handler.handle(invocation.event, cancellation: token)
        } catch {
            let type = error is LambdaEventError ? "Runtime.InvalidEvent" : "Runtime.HandlerError"
            try await client.reportError(LambdaErrorReport(message: String(describing: error), type: type), requestID: invocation.requestID)
            return
        }
        do {
            try await client.reportResponse(answer, requestID: invocation.requestID)
        } catch {
            // A response the Runtime API refuses (over its 6 MB limit, say) is reported as the
            // invocation's error, and the loop goes on; only a failure to report that ends it.
            try await client.reportError(LambdaErrorReport(message: "the response could not be delivered: \(error)", type: "Runtime.HandlerError"),
                                         requestID: invocation.requestID)
        }
    }
}

extension LambdaRuntime where Client == HTTPLambdaRuntimeClient {
    /// The loop over the Runtime API at `api` (`AWS_LAMBDA_RUNTIME_API`).
    public init(api: String, handler: LambdaHandler) {
        self.init(client: HTTPLambdaRuntimeClient(api: api), handler: handler)
    }
}
