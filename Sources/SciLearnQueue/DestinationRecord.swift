import Foundation
import SciLearnService

/// What a worker writes to a destination when a job ends, shaped like an AWS Lambda destination
/// record (CONTRACT.md, "Queue"): `requestContext` (`requestId`, `condition`,
/// `approximateInvokeCount`), `requestPayload` (the body verbatim), `responseContext`,
/// `responsePayload` (the contract response).
public struct DestinationRecord: Sendable, Equatable {
    /// Why the job ended where it did.
    public enum Condition: String, Sendable, Codable, CaseIterable {
        /// The job ran and answered `ok` (success destination).
        case success = "Success"
        /// A client error (`invalid_*`, `unknown_task`, `too_large`, `numerical_failure`): not
        /// retried.
        case clientError = "ClientError"
        /// A retryable failure on every attempt up to `max_receive_count`; dead-lettered too.
        case retriesExhausted = "RetriesExhausted"
    }

    /// The job the record is for (`requestContext.requestId`).
    public var jobID: String
    /// How the job ended (`requestContext.condition`).
    public var condition: Condition
    /// Deliveries of the message up to this record (SQS receive count).
    public var approximateInvokeCount: Int
    /// When the worker made the record.
    public var timestamp: Date
    /// The HTTP status the sync adapter would have answered with (200, or the error code's).
    public var statusCode: Int
    /// The request body, byte for byte.
    public var requestPayload: [UInt8]
    /// The contract response, as JSON text.
    public var responsePayload: String

    /// A record from its fields.
    public init(jobID: String, condition: Condition, approximateInvokeCount: Int, timestamp: Date, statusCode: Int, requestPayload: [UInt8], responsePayload: String) {
        self.jobID = jobID
        self.condition = condition
        self.approximateInvokeCount = approximateInvokeCount
        self.timestamp = timestamp
        self.statusCode = statusCode
        self.requestPayload = requestPayload
        self.responsePayload = responsePayload
    }

    /// The record as Lambda-shaped JSON. A payload that is JSON is embedded as it came; one that
    /// is not is embedded as a string (invalid UTF-8 replaced), with `requestPayloadEncoding`
    /// saying so.
    public var jsonText: String {
        var context: JSONObject = [
            "requestId": .string(jobID),
            "condition": .string(condition.rawValue),
            "approximateInvokeCount": .number(Double(approximateInvokeCount)),
        ]
        let payload: String
        if JSONValue.parse(requestPayload) != nil {
            payload = String(decoding: requestPayload, as: UTF8.self)
        } else {
            payload = JSONValue.string(String(decoding: requestPayload, as: UTF8.self)).jsonText
            context["requestPayloadEncoding"] = .string("text")
        }
        var response: JSONObject = ["statusCode": .number(Double(statusCode)), "executedVersion": .string("$LATEST")]
        if condition != .success { response["functionError"] = .string("Handled") }
        let timestamp = JSONValue.string(Self.iso8601(timestamp)).jsonText
        return #"{"version":"1.0","timestamp":\#(timestamp),"requestContext":\#(JSONValue.object(context).jsonText),"# +
            #""requestPayload":\#(payload),"responseContext":\#(JSONValue.object(response).jsonText),"responsePayload":\#(responsePayload)}"#
    }

    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
