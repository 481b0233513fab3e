import HTTPTypes
import Hummingbird
import NIOCore
import SciLearnService

/// Reads a request body for `/v1/run` and `/v1/jobs` alike, within every bound the server sets:
/// the declared size against `--max-body` (413 before a byte is read), an upload slot and bytes
/// of the shared ``UploadBudget`` (503 before a byte is read, or as soon as a chunked body
/// outgrows the budget), `100 Continue` only once all that is settled, the body timeout (408 for
/// a stalled client, raised by the ``HTTPConnectionGuard``), the request's deadline (504), and a
/// body shorter than declared (400: the client went away). The body is never held past
/// `--max-body`, whatever its framing.
struct BodyIntake: Sendable {
    let budget: UploadBudget
    let maxBodyBytes: Int
    let retryAfterSeconds: Int

    /// A body read whole, with its hold on the budget (released when the caller is done with it).
    struct Held: Sendable {
        let body: ByteBuffer
        let reservation: UploadBudget.Reservation
    }

    /// Why a body could not be read, as the answer to give.
    struct Refused: Error {
        let code: ErrorCode
        let message: String
        var headers: HTTPFields = [:]
    }

    func read(_ request: Request, channel: any Channel, deadline: RequestDeadline, timeout: Duration) async -> Result<Held, Refused> {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > maxBodyBytes {
            return .failure(Refused(code: .tooLarge, message: Self.tooLargeMessage(limit: maxBodyBytes, declared: declared)))
        }
        let reservation: UploadBudget.Reservation
        switch budget.reserve(declared ?? 0) {
        case .success(let r): reservation = r
        case .failure(let why): return .failure(overloaded(why))
        }
        defer { reservation.uploadEnded() }
        SendContinue.send(on: channel)
        guard deadline.wait(on: .body(channel)) else {
            return .failure(Refused(code: .timeout, message: Self.deadlineMessage(timeout)))
        }
        var buffer = ByteBuffer()
        if let declared { buffer.reserveCapacity(declared) }
        do {
            for try await part in request.body {
                guard buffer.readableBytes + part.readableBytes <= maxBodyBytes else {
                    return .failure(Refused(code: .tooLarge, message: Self.tooLargeMessage(limit: maxBodyBytes, declared: nil)))
                }
                if declared == nil, !reservation.grow(by: part.readableBytes) {
                    return .failure(overloaded(.bytes))
                }
                if buffer.readableBytes == 0, declared == nil {
                    buffer = part
                } else {
                    buffer.writeImmutableBuffer(part)
                }
            }
        } catch let stall as BodyStalled {
            return .failure(Refused(code: .requestTimeout, message: "no body byte arrived for \(RunEndpoint.seconds(.seconds(stall.seconds))) s (the body timeout); the connection is closed"))
        } catch {
            if deadline.isExpired { return .failure(Refused(code: .timeout, message: Self.deadlineMessage(timeout))) }
            return .failure(Refused(code: .badRequest, message: "the request body could not be read to its end"))
        }
        // A read the deadline cut short ends early, as if the body were complete.
        if deadline.isExpired { return .failure(Refused(code: .timeout, message: Self.deadlineMessage(timeout))) }
        if let declared, buffer.readableBytes < declared {
            return .failure(Refused(code: .badRequest, message: "the body ended after \(buffer.readableBytes) of its \(declared) declared bytes"))
        }
        return .success(Held(body: buffer, reservation: reservation))
    }

    private func overloaded(_ why: UploadBudget.Refusal) -> Refused {
        let what = switch why {
        case .uploads: "\(budget.maxUploads) request bodies are being read, its limit (--max-uploads)"
        case .bytes: "request bodies in progress hold its upload memory budget of \(budget.maxBytes) bytes (--max-upload-memory)"
        }
        return Refused(code: .overloaded, message: "the server is busy: \(what); retry after \(retryAfterSeconds) s",
                       headers: [.retryAfter: String(retryAfterSeconds)])
    }

    static func tooLargeMessage(limit: Int, declared: Int?) -> String {
        let size = declared.map { "the body is \($0) bytes" } ?? "the body is over the limit"
        return "\(size); the limit is \(limit) bytes (--max-body)"
    }

    static func deadlineMessage(_ timeout: Duration) -> String {
        "the request did not complete within its deadline of \(RunEndpoint.seconds(timeout)) s"
    }
}
