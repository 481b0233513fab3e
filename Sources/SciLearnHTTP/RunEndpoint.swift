import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SciLearnService

/// `POST /v1/run`: one job, synchronously. In order: when every compute slot is busy, 503 with
/// `Retry-After` at once (no queue, nothing read); the body is read through the ``BodyIntake``
/// (413, 503, 408, 504 as it says), holding no compute slot meanwhile, so slow uploaders cannot
/// take the slots from fast clients; then a slot (503 if the others took them meanwhile); the
/// job runs on the executor's pool; past the deadline (counted from the request's head) the
/// answer is 504 and the job is cancelled, freeing its slot within milliseconds.
struct RunEndpoint: Sendable {
    let executor: JobExecutor
    let intake: BodyIntake
    let metrics: ServerMetrics
    let timeout: Duration
    let retryAfterSeconds: Int
    /// Where deadline timers run (a real event loop group: the channel's own loop is a manual
    /// clock in Hummingbird's router tests).
    let timers: any EventLoopGroup

    func handle(_ request: Request, context: ServerRequestContext) async -> Response {
        let deadline = RequestDeadline(timeout: timeout, on: timers.any())
        defer { deadline.finish() }
        if executor.isFull { return overloaded(context) }
        let held: BodyIntake.Held
        switch await intake.read(request, channel: context.channel, deadline: deadline, timeout: timeout) {
        case .success(let h): held = h
        case .failure(let refused): return failure(refused.code, refused.message, context, headers: refused.headers)
        }
        guard let ticket = executor.admit() else { return overloaded(context) }
        defer { ticket.releaseIfHeld() }
        let executed: ExecutedJob
        do {
            let reservation = held.reservation
            executed = try await executor.run(held.body, ticket: ticket, deadline: deadline) { reservation.release() }
        } catch where error is RequestDeadline.Exceeded || deadline.isExpired {
            return failure(.timeout, BodyIntake.deadlineMessage(timeout), context)
        } catch {
            // The client went away, or the server is shutting down.
            context.logger.info("request abandoned", metadata: ["error": "\(error)"])
            return failure(.timeout, "the request was abandoned before its job finished", context)
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

    private func overloaded(_ context: ServerRequestContext) -> Response {
        failure(
            .overloaded,
            "the server is running \(executor.limit) jobs, its concurrency limit; retry after \(retryAfterSeconds) s",
            context,
            headers: [.retryAfter: String(retryAfterSeconds)]
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

    static func seconds(_ d: Duration) -> String {
        let s = d.seconds
        return s == s.rounded() ? String(Int(s)) : String(s)
    }
}
