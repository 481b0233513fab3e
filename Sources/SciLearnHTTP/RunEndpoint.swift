import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SciLearnService

/// `POST /v1/run`: one job, synchronously. In order: a declared body over the limit is 413
/// before anything is read; no free slot is 503 with `Retry-After` at once (no queue); the body
/// streams in up to the limit (413 past it); the job runs on the executor's pool; past the
/// deadline (counted from admission) the answer is 504 while the job finishes in the
/// background, holding its slot.
struct RunEndpoint: Sendable {
    let executor: JobExecutor
    let metrics: ServerMetrics
    let maxBodyBytes: Int
    let timeout: Duration
    let retryAfterSeconds: Int
    /// Where deadline timers run (a real event loop group: the channel's own loop is a manual
    /// clock in Hummingbird's router tests).
    let timers: any EventLoopGroup

    func handle(_ request: Request, context: ServerRequestContext) async -> Response {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > maxBodyBytes {
            return failure(.tooLarge, Self.tooLargeMessage(limit: maxBodyBytes, declared: declared), context)
        }
        guard let ticket = executor.admit() else {
            return failure(
                .overloaded,
                "the server is running \(executor.limit) jobs, its concurrency limit; retry after \(retryAfterSeconds) s",
                context,
                headers: [.retryAfter: String(retryAfterSeconds)]
            )
        }
        let deadline = RequestDeadline(timeout: timeout, on: timers.any())
        defer {
            deadline.finish()
            ticket.releaseIfHeld()
        }
        let executed: ExecutedJob
        do {
            _ = deadline.wait(on: .body(context.channel))
            let body = try await BodyReader.collect(request.body, limit: maxBodyBytes, expected: declared)
            // A read the deadline cut short ends early, as if the body were complete.
            if deadline.isExpired { throw RequestDeadline.Exceeded() }
            executed = try await executor.run(body, ticket: ticket, deadline: deadline)
        } catch is BodyReader.TooLarge {
            return failure(.tooLarge, Self.tooLargeMessage(limit: maxBodyBytes, declared: nil), context)
        } catch where error is RequestDeadline.Exceeded || deadline.isExpired {
            return failure(.timeout, "the request did not complete within its deadline of \(Self.seconds(timeout)) s", context)
        } catch {
            // The client went away mid-body, or the server is shutting down.
            context.logger.info("request abandoned", metadata: ["error": "\(error)"])
            return failure(.invalidJSON, "the request body could not be read to its end", context)
        }
        let job = executed.response
        metrics.recordJob(job)
        if let code = job.errorCode { metrics.recordFailure(code) }
        context.logger.info("job", metadata: [
            "job.id": .string(job.id ?? "-"),
            "job.task": .string(job.task ?? "-"),
            "job.status": .string(job.errorCode?.rawValue ?? "ok"),
            "job.elapsed_ms": .stringConvertible(job.elapsedMilliseconds),
        ])
        return ErrorEnvelope.response(
            json: executed.json,
            code: job.errorCode,
            headers: [Self.serverTiming: "job;dur=\((executed.milliseconds * 1000).rounded() / 1000)"]
        )
    }

    private func failure(_ code: ErrorCode, _ message: String, _ context: some RequestContext, headers: HTTPFields = [:]) -> Response {
        metrics.recordFailure(code)
        context.logger.info("rejected", metadata: ["error.code": .string(code.rawValue)])
        return ErrorEnvelope.response(code, message, headers: headers)
    }

    /// `Server-Timing` (W3C): the pool thread's time on the job (decode, compute, serialise), so
    /// that a client can tell the service's time from the network's.
    static let serverTiming = HTTPField.Name("Server-Timing")!

    static func tooLargeMessage(limit: Int, declared: Int?) -> String {
        let size = declared.map { "the body is \($0) bytes" } ?? "the body is over the limit"
        return "\(size); the limit is \(limit) bytes (--max-body)"
    }

    static func seconds(_ d: Duration) -> String {
        let s = d.seconds
        return s == s.rounded() ? String(Int(s)) : String(s)
    }
}
