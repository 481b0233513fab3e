import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SciLearnQueue
import SciLearnService

/// `POST /v1/jobs` and `GET /v1/jobs/{id}` (CONTRACT.md, "HTTP"): queue a request, idempotently
/// on its id, and read a job's status. A new job is 202 `{"id", "status": "queued"}` with
/// `Location`; a known id is 200 with the existing job's status document (never a second run).
struct JobsEndpoint: Sendable {
    let backend: JobBackend
    let limits: ServiceLimits
    let intake: BodyIntake
    let metrics: ServerMetrics
    /// The upload's deadline (`--timeout`), from the request's head to the queue write.
    let timeout: Duration
    let timers: any EventLoopGroup

    func submit(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let deadline = RequestDeadline(timeout: timeout, on: timers.any())
        defer { deadline.finish() }
        let held: BodyIntake.Held
        switch await intake.read(request, channel: context.channel, deadline: deadline, timeout: timeout) {
        case .success(let h): held = h
        case .failure(let refused): return failure(refused.code, refused.message, headers: refused.headers)
        }
        defer { held.reservation.release() }
        let body = held.body
        let status: JobStatus
        let created: Bool
        do {
            (status, created) = try await backend.submit(body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? [], limits: limits)
        } catch let e as ServiceError {
            return failure(e.code, e.message)
        }
        context.logger.info("job queued", metadata: ["job.id": .string(status.id), "created": .stringConvertible(created)])
        let location = "\(Routes.jobs)/\(status.id)"
        if created {
            let json = JSONValue.object(["id": .string(status.id), "status": .string(JobStatus.State.queued.rawValue)]).jsonText
            return Self.json(json, status: .accepted, headers: [.location: location])
        }
        return Self.json(status.jsonText, status: .ok, headers: [.location: location])
    }

    func status(_ request: Request, context: ServerRequestContext) async throws -> Response {
        // The path segment as sent, percent-decoded (`a%3Ab` is the job `a:b`).
        let raw = context.parameters.get("id") ?? ""
        let id = raw.removingPercentEncoding ?? raw
        guard JobRequest.isValidID(id), let status = try await backend.status(of: id) else {
            if !backend.readsJobsBack {
                return failure(.notFound, "job '\(id)' cannot be looked up here: the queue is Amazon SQS, which cannot be searched by id; its outcome is a record in the success or failure destination queue (Docs/queue.md)")
            }
            return failure(.notFound, "no job '\(id)'")
        }
        return Self.json(status.jsonText, status: .ok)
    }

    private func failure(_ code: ErrorCode, _ message: String, headers: HTTPFields = [:]) -> Response {
        metrics.recordFailure(code)
        return ErrorEnvelope.response(code, message, headers: headers)
    }

    private static func json(_ text: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = ErrorEnvelope.jsonContentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
