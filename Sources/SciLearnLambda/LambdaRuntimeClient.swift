import Foundation
import SciLearnService

/// What the run loop needs of the AWS Lambda Runtime API, as `swift-aws-lambda-runtime`'s
/// runtime client: the next invocation, its response or error, and an initialisation error.
/// ``HTTPLambdaRuntimeClient`` speaks the real API; tests drive the loop through an in-memory
/// client.
public protocol LambdaRuntimeClient: Sendable {
    /// Waits for the next invocation (`GET /runtime/invocation/next`); it may be hours away.
    func nextInvocation() async throws -> LambdaInvocation
    /// Posts the answer to invocation `requestID` (`/runtime/invocation/{id}/response`).
    func reportResponse(_ body: [UInt8], requestID: String) async throws
    /// Posts a failed invocation (`/runtime/invocation/{id}/error`).
    func reportError(_ error: LambdaErrorReport, requestID: String) async throws
    /// Posts a failure before the first invocation (`/runtime/init/error`).
    func reportInitError(_ error: LambdaErrorReport) async throws
}

/// One invocation: its request id, the deadline Lambda set, and the event.
public struct LambdaInvocation: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`.
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`, when given.
    public var deadline: Date?
    /// The event's bytes.
    public var event: [UInt8]

    /// An invocation of `event` under `requestID`, due by `deadline`.
    public init(requestID: String, deadline: Date?, event: [UInt8]) {
        self.requestID = requestID
        self.deadline = deadline
        self.event = event
    }
}

/// An error as the Runtime API takes it: `{"errorMessage", "errorType"}`, the type also in
/// `Lambda-Runtime-Function-Error-Type`.
public struct LambdaErrorReport: Sendable, Equatable {
    /// What went wrong.
    public var message: String
    /// `Runtime.InvalidEvent`, `Runtime.HandlerError` or `Runtime.InitError`.
    public var type: String

    /// A report of `message` under `type`.
    public init(message: String, type: String) {
        self.message = message
        self.type = type
    }

    /// The JSON body the Runtime API takes.
    public var body: [UInt8] {
        Array(JSONValue.object(["errorMessage": .string(message), "errorType": .string(type)]).jsonText.utf8)
    }
}
