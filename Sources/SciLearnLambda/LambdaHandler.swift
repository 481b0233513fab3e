import Foundation
import SciLearnQueue
import SciLearnService

/// What the `scilearn` Lambda function does with one event, by the event's shape:
///
/// - **SQS batch** (`Records` with `eventSource: aws:sqs`): runs each message body as a job.
///   An `ok` job's record goes to the success destination; a client error's (`invalid_*`,
///   `unknown_task`, `too_large`, `numerical_failure`) to the failure destination. A retryable
///   failure (`timeout`, `internal`, `overloaded`), a client error when no failure destination
///   is configured, or a record that could not be written is reported in `batchItemFailures`
///   (partial batch response): SQS delivers those messages again, and the queue's redrive
///   policy moves them to the dead-letter queue after `maxReceiveCount` receives.
/// - **API Gateway HTTP API (payload 2.0) and REST (1.0) proxy events**: `POST /v1/run` runs
///   the body synchronously and answers with the HTTP adapter's status mapping; `GET /healthz`
///   answers 200; anything else 404 or 405, with the error envelope. With an ``apiKey``
///   (`SCILEARN_API_KEY`), every route but `/healthz` needs `Authorization: Bearer <key>`
///   (the HTTP server's rule, ``APIKey``): without it the answer is 401 `unauthorized` and
///   nothing runs. SQS batches and direct invocations are authorized by IAM, not by the key.
/// - **Direct invocation** with a contract request: the contract response.
///
/// An event that is not a JSON object is thrown as ``LambdaEventError``: the runtime reports it
/// through `/error`.
public struct LambdaHandler: Sendable {
    public let service: SciLearnService
    /// Where success records go (nil: not recorded).
    public let success: (any JobDestination)?
    /// Where client-error records go (nil: such messages are reported as batch item failures).
    public let failure: (any JobDestination)?
    /// The key API Gateway requests must carry (nil: none required).
    public let apiKey: APIKey?

    public init(service: SciLearnService = SciLearnService(), success: (any JobDestination)? = nil, failure: (any JobDestination)? = nil,
                apiKey: APIKey? = nil) {
        self.service = service
        self.success = success
        self.failure = failure
        self.apiKey = apiKey
    }

    /// The service's limits: `SCILEARN_MAX_CELLS`, `SCILEARN_MAX_JOB_MEMORY` (bytes) and
    /// `SCILEARN_MAX_JOB_WORK` (operations), as `--max-cells`, `--max-job-memory` and
    /// `--max-job-work`; each unset or empty keeps the default. A value that is not a number
    /// ≥ 1 is an init error naming the variable.
    public static func limits(environment: [String: String]) throws(LambdaEventError) -> ServiceLimits {
        var limits = ServiceLimits()
        func number(_ key: String) throws(LambdaEventError) -> Double? {
            guard let text = environment[key], !text.isEmpty else { return nil }
            guard let v = Double(text), v.isFinite, v >= 1 else {
                throw LambdaEventError("\(key): '\(text)' is not a number >= 1")
            }
            return v
        }
        if let v = try number("SCILEARN_MAX_CELLS") {
            guard v.rounded() == v else { throw LambdaEventError("SCILEARN_MAX_CELLS: '\(v)' is not a whole number of cells") }
            guard v <= Double(Int.max / 2) else { throw LambdaEventError("SCILEARN_MAX_CELLS: '\(v)' is too large") }
            limits.maxCells = Int(v)
        }
        if let v = try number("SCILEARN_MAX_JOB_MEMORY") { limits.maxJobMemoryBytes = v }
        if let v = try number("SCILEARN_MAX_JOB_WORK") { limits.maxJobWork = v }
        return limits
    }

    /// The key from the function's `SCILEARN_API_KEY` (nil when unset).
    /// - Throws: ``LambdaEventError`` when it is set but empty (an init error, as `serve` refuses it).
    public static func apiKey(environment: [String: String]) throws -> APIKey? {
        guard let key = environment["SCILEARN_API_KEY"] else { return nil }
        guard let apiKey = APIKey(key) else { throw LambdaEventError("SCILEARN_API_KEY is set but empty; unset it or give a key") }
        return apiKey
    }

    /// The answer to `event`: the bytes the runtime posts as the invocation's response.
    /// - Parameter cancellation: tripped shortly before the invocation's deadline.
    public func handle(_ event: [UInt8], cancellation: CancellationToken? = nil) async throws -> [UInt8] {
        guard case .object(let o)? = JSONValue.parse(event) else {
            throw LambdaEventError("the event is not a JSON object (\(event.count) bytes): not an SQS batch, an API Gateway request or a contract request")
        }
        if case .array(let records)? = o["Records"] {
            return Array(JSONValue.object(try await sqsBatch(records, cancellation: cancellation)).jsonText.utf8)
        }
        if let request = APIGatewayRequest(o) {
            return Array(JSONValue.object(http(request, cancellation: cancellation)).jsonText.utf8)
        }
        return Array(service.run(body: event, cancellation: cancellation).json.utf8)
    }

    /// One SQS batch: `{"batchItemFailures": [{"itemIdentifier": messageId}, ...]}`.
    func sqsBatch(_ records: [JSONValue], cancellation: CancellationToken?) async throws -> JSONObject {
        var failures: [String] = []
        var successes: [(String, DestinationRecord)] = [], clientErrors: [(String, DestinationRecord)] = []
        for case .object(let r) in records {
            guard case .string(let messageID)? = r["messageId"] else { continue }
            guard case .string(let body)? = r["body"] else { failures.append(messageID); continue }
            var receiveCount = 1
            if case .object(let a)? = r["attributes"], case .string(let n)? = a["ApproximateReceiveCount"] { receiveCount = Int(n) ?? 1 }
            var jobID = messageID
            if case .object(let attrs)? = r["messageAttributes"], case .object(let j)? = attrs["job_id"], case .string(let id)? = j["stringValue"] { jobID = id }
            let bytes = Array(body.utf8)
            let response = service.run(body: bytes, assignedID: jobID, cancellation: cancellation)
            let code = response.errorCode
            let record = DestinationRecord(jobID: response.id ?? jobID, condition: code == nil ? .success : .clientError,
                                           approximateInvokeCount: receiveCount, timestamp: Date(), statusCode: code?.httpStatus ?? 200,
                                           requestPayload: bytes, responsePayload: response.json)
            switch code {
            case nil: if success != nil { successes.append((messageID, record)) }
            case let c? where c.isRetried: failures.append(messageID)
            default: if failure != nil { clientErrors.append((messageID, record)) } else { failures.append(messageID) }
            }
        }
        for (destination, items) in [(success, successes), (failure, clientErrors)] where !items.isEmpty {
            do { try await destination?.put(items.map(\.1)) } catch { failures += items.map(\.0) }
        }
        return ["batchItemFailures": .array(failures.map { .object(["itemIdentifier": .string($0)]) })]
    }

    /// An API Gateway proxy request: the HTTP adapter's routes and status mapping.
    func http(_ request: APIGatewayRequest, cancellation: CancellationToken?) -> JSONObject {
        func answer(_ status: Int, _ body: String, headers extra: JSONObject = [:]) -> JSONObject {
            var headers: JSONObject = ["content-type": .string("application/json")]
            for (name, value) in extra.entries { headers[name] = value }
            return ["statusCode": .number(Double(status)), "headers": .object(headers), "body": .string(body), "isBase64Encoded": .bool(false)]
        }
        func envelope(_ code: ErrorCode, _ message: String) -> JSONObject {
            answer(code.httpStatus, JobResponse.failure(code, message).json)
        }
        let path = request.path.hasSuffix("/") && request.path.count > 1 ? String(request.path.dropLast()) : request.path
        if path != "/healthz", let apiKey, let message = apiKey.refusal(authorization: request.authorization) {
            return answer(ErrorCode.unauthorized.httpStatus, JobResponse.failure(.unauthorized, message).json,
                          headers: ["www-authenticate": .string(APIKey.challenge)])
        }
        switch (path, request.method) {
        case ("/v1/run", "POST"):
            guard let body = request.body else { return envelope(.invalidJSON, "the request has no body (a JSON object)") }
            let response = service.run(body: body, cancellation: cancellation)
            return answer(response.errorCode?.httpStatus ?? 200, response.json)
        case ("/healthz", "GET"), ("/healthz", "HEAD"):
            return answer(200, #"{"status":"ok"}"#)
        case ("/v1/run", _), ("/healthz", _):
            return envelope(.methodNotAllowed, "\(request.method) \(path) is not allowed; /v1/run takes POST, /healthz GET")
        default:
            return envelope(.notFound, "no route \(path) on the Lambda function; the routes are POST /v1/run and GET /healthz")
        }
    }
}
