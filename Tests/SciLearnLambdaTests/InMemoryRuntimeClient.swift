import Foundation
import SciLearnLambda

/// The Runtime API without HTTP: invocations come from, and outcomes go to, a ``FakeRuntimeAPI``'s
/// queue directly, so that the run loop's logic is tested without sockets or timing.
struct InMemoryRuntimeClient: LambdaRuntimeClient {
    let api: FakeRuntimeAPI
    /// Refuses every response post, as the Runtime API refuses one over its size limit.
    var refusesResponses = false

    func nextInvocation() async throws -> LambdaInvocation {
        let (id, body, deadline) = await api.next()
        return LambdaInvocation(requestID: id, deadline: deadline, event: body)
    }

    func reportResponse(_ body: [UInt8], requestID: String) async throws {
        if refusesResponses { throw LambdaEventError("the Runtime API answered 413 to the response (over its 6 MB limit)") }
        await api.record(requestID, .init(kind: "response", body: String(decoding: body, as: UTF8.self), errorType: nil))
    }

    func reportError(_ error: LambdaErrorReport, requestID: String) async throws {
        await api.record(requestID, .init(kind: "error", body: String(decoding: error.body, as: UTF8.self), errorType: error.type))
    }

    func reportInitError(_ error: LambdaErrorReport) async throws {
        await api.recordInitError(.init(kind: "error", body: String(decoding: error.body, as: UTF8.self), errorType: error.type))
    }
}
