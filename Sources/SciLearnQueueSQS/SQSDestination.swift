import SciLearnQueue
import SciLearnJSON

/// A destination that is an SQS queue (Lambda's on-success / on-failure destinations): each
/// record is sent as one message of Lambda-shaped JSON (``DestinationRecord/jsonText``) with
/// `job_id` and `condition` attributes. A record over SQS's 1 MiB is sent without its request
/// payload (replaced by `{"omitted_bytes": N}`), which the job's submitter still has; if the
/// response alone is still too large, it is replaced by its id, task, status and size with a
/// message naming `output`, the way to have such a result delivered.
///
/// An SQS queue cannot be read back by job id: ``outcomes(for:)`` and ``record(for:)`` find
/// nothing, so the worker's check for an already recorded job relies on the queue, and
/// `GET /v1/jobs/{id}` answers from the queue alone (Docs/queue.md).
public struct SQSDestination: JobDestination {
    /// The client the records are sent through.
    public let client: SQSClient
    /// The URL of the queue that receives the records.
    public let queueURL: String

    /// A destination sending records to `queueURL` through `client`.
    public init(client: SQSClient, queueURL: String) {
        self.client = client
        self.queueURL = queueURL
    }

    /// Sends each record as one message (SQS `SendMessageBatch`), without its request payload when over 1 MiB.
    public func put(_ records: [DestinationRecord]) async throws {
        if records.isEmpty { return }
        let entries = records.map { r -> (body: [UInt8], attributes: [String: String]) in
            let attributes = ["job_id": r.jobID, "condition": r.condition.rawValue]
            var body = Array(r.jsonText.utf8)
            if body.count + 200 > SQSLimits.maxMessageBytes {
                var slim = r
                slim.requestPayload = Array("{\"omitted_bytes\":\(r.requestPayload.count)}".utf8)
                body = Array(slim.jsonText.utf8)
                if body.count + 200 > SQSLimits.maxMessageBytes {
                    // The response alone is too large: the record says so, with its size, rather
                    // than being refused by SQS (and the job retried into the dead-letter queue).
                    slim.responsePayload = Self.omittedResponse(r)
                    body = Array(slim.jsonText.utf8)
                }
            }
            return (body, attributes)
        }
        _ = try await SQSJobQueue.send(client, queueURL, entries)
    }

    /// What stands for a response over SQS's limit: its id, task and status, its size, and how
    /// to have such a result delivered (a request's `output`).
    static func omittedResponse(_ r: DestinationRecord) -> String {
        var o: JSONObject = ["id": .string(r.jobID)]
        if case .object(let response)? = JSONValue.parse(Array(r.responsePayload.utf8)) {
            for key in ["task", "status"] { if let v = response[key] { o[key] = v } }
        }
        o["omitted_bytes"] = .number(Double(r.responsePayload.utf8.count))
        o["message"] = .string("the response is \(r.responsePayload.utf8.count) bytes, over SQS's \(SQSLimits.maxMessageBytes)-byte message limit; give the request an output location (\"output\": {\"url\": \"s3://BUCKET/PREFIX/\"}) to have its result written there")
        return JSONValue.object(o).jsonText
    }

    /// Always empty: an SQS queue cannot be read back by job id.
    public func outcomes(for jobIDs: [String]) async throws -> [String: RecordedOutcome] { [:] }

    /// Always nil: an SQS queue cannot be read back by job id.
    public func record(for jobID: String) async throws -> DestinationRecord? { nil }
}
