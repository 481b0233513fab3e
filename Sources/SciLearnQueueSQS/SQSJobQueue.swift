import Foundation
import SciLearnQueue
import SciLearnJSON
import Synchronization

/// ``JobQueue`` on an Amazon SQS standard queue (or an SQS-compatible server), through the SQS
/// JSON protocol.
///
/// - `send` uses `SendMessageBatch` (10 entries, 1 MiB per batch), the job id in a `job_id`
///   message attribute; a message over 1 MiB is refused before sending.
/// - `receive` long-polls `ReceiveMessage` (up to 10 messages, 20 s), reading
///   `ApproximateReceiveCount`; `delete` and `changeVisibility` use the batch actions, and a
///   stale receipt handle acts on nothing, as the protocol requires.
/// - The dead-letter queue is the queue's own redrive policy: SQS moves a message there after
///   `maxReceiveCount` receives. `deadLetter` (the worker's own verdict) sends the message to that
///   queue and deletes it; `redrive` moves dead letters back by receive-and-send (SQS-compatible
///   servers lack `StartMessageMoveTask`).
/// - SQS cannot look a message up by id: `state(ofJob:)` is always nil, and a job's status is
///   read from the destinations (Docs/queue.md).
public final class SQSJobQueue: JobQueue {
    /// The client the queue's actions go through.
    public let client: SQSClient
    /// The queue's URL.
    public let queueURL: String
    private let deadLetterURL = Mutex<String??>(nil)

    /// The queue at `queueURL`, reached through `client`.
    public init(client: SQSClient, queueURL: String) {
        self.client = client
        self.queueURL = queueURL
    }

    /// Sends the messages with SQS `SendMessageBatch`, job id as the `job_id` attribute; throws ``QueueError`` for one over 1 MiB or not UTF-8.
    public func send(_ messages: [OutgoingMessage]) async throws -> [SentMessage] {
        try await Self.send(client, queueURL, messages.map { (body: $0.body, attributes: ["job_id": $0.jobID]) })
            .enumerated().map { SentMessage(messageID: $0.element, jobID: messages[$0.offset].jobID, duplicate: false) }
    }

    /// Sends bodies with string attributes in batches of at most 10 entries and 1 MiB; returns
    /// the message ids in order.
    static func send(_ client: SQSClient, _ url: String, _ entries: [(body: [UInt8], attributes: [String: String])]) async throws -> [String] {
        var ids = [String](repeating: "", count: entries.count)
        var start = 0
        while start < entries.count {
            var end = start, bytes = 0
            while end < entries.count && end - start < SQSLimits.maxBatchEntries {
                let size = try size(of: entries[end])
                if end > start && bytes + size > SQSLimits.maxMessageBytes { break }
                bytes += size
                end += 1
            }
            var batch: [JSONValue] = []
            for k in start..<end {
                var attributes = JSONObject()
                for (name, value) in entries[k].attributes.sorted(by: { $0.key < $1.key }) {
                    attributes[name] = .object(["DataType": .string("String"), "StringValue": .string(value)])
                }
                batch.append(.object(["Id": .string(String(k)), "MessageBody": .string(String(decoding: entries[k].body, as: UTF8.self)),
                                      "MessageAttributes": .object(attributes)]))
            }
            let answer = try await client.call("SendMessageBatch", ["QueueUrl": .string(url), "Entries": .array(batch)])
            if case .array(let failed)? = answer["Failed"], let first = failed.first, case .object(let f) = first {
                throw SQSError(action: "SendMessageBatch", code: Self.string(f["Code"]) ?? "Failed", message: Self.string(f["Message"]) ?? "an entry was refused", status: 400)
            }
            if case .array(let ok)? = answer["Successful"] {
                for case .object(let o) in ok {
                    if let id = Self.string(o["Id"]).flatMap(Int.init), id < ids.count { ids[id] = Self.string(o["MessageId"]) ?? "" }
                }
            }
            start = end
        }
        return ids
    }

    /// A message's size as SQS counts it (body plus attribute names, types and values); throws
    /// when it is over the limit or the body is not text SQS can carry.
    static func size(of entry: (body: [UInt8], attributes: [String: String])) throws -> Int {
        let size = entry.body.count + entry.attributes.reduce(0) { $0 + $1.key.utf8.count + "String".utf8.count + $1.value.utf8.count }
        if size > SQSLimits.maxMessageBytes {
            throw QueueError(.invalidArgument, "the message is \(size) bytes with its attributes; SQS takes at most 1 MiB (\(SQSLimits.maxMessageBytes) bytes): send X as packed numbers or a smaller request")
        }
        guard String(validating: entry.body, as: UTF8.self) != nil else {
            throw QueueError(.invalidArgument, "the message body is not UTF-8 text, which SQS cannot carry")
        }
        return size
    }

    /// Long-polls SQS `ReceiveMessage` for up to `max` (at most 10) messages, wait and visibility clamped to SQS's limits; throws when `max` < 1.
    public func receive(max: Int, visibilityTimeout: Duration, wait: Duration) async throws -> [QueueMessage] {
        guard max >= 1 else { throw QueueError(.invalidArgument, "receive: max must be >= 1; got \(max)") }
        let visibility = Swift.min(SQSLimits.maxVisibilitySeconds, Swift.max(0, Self.seconds(visibilityTimeout)))
        let waitSeconds = Swift.min(SQSLimits.maxWaitSeconds, Swift.max(0, Self.seconds(wait)))
        let answer = try await client.call("ReceiveMessage", [
            "QueueUrl": .string(queueURL),
            "MaxNumberOfMessages": .number(Double(Swift.min(max, SQSLimits.maxBatchEntries))),
            "VisibilityTimeout": .number(Double(visibility)),
            "WaitTimeSeconds": .number(Double(waitSeconds)),
            "AttributeNames": .array([.string("ApproximateReceiveCount"), .string("SentTimestamp")]),
            "MessageSystemAttributeNames": .array([.string("ApproximateReceiveCount"), .string("SentTimestamp")]),
            "MessageAttributeNames": .array([.string("All")]),
        ], timeout: .seconds(waitSeconds + 15))
        guard case .array(let messages)? = answer["Messages"] else { return [] }
        return messages.compactMap { value -> QueueMessage? in
            guard case .object(let m) = value, let handle = Self.string(m["ReceiptHandle"]) else { return nil }
            var count = 1, sent = Date()
            if case .object(let a)? = m["Attributes"] {
                count = Self.string(a["ApproximateReceiveCount"]).flatMap(Int.init) ?? 1
                if let ms = Self.string(a["SentTimestamp"]).flatMap(Double.init) { sent = Date(timeIntervalSince1970: ms / 1000) }
            }
            var jobID: String? = nil
            if case .object(let attrs)? = m["MessageAttributes"], case .object(let j)? = attrs["job_id"] { jobID = Self.string(j["StringValue"]) }
            return QueueMessage(messageID: Self.string(m["MessageId"]) ?? handle, jobID: jobID,
                                body: Array((Self.string(m["Body"]) ?? "").utf8), receiptHandle: handle, receiveCount: count, sentAt: sent)
        }
    }

    /// Deletes by receipt handle with SQS `DeleteMessageBatch`, 10 per call; stale handles act on nothing.
    public func delete(_ receiptHandles: [String]) async throws {
        try await Self.batch(client, "DeleteMessageBatch", queueURL, receiptHandles) { _ in [:] }
    }

    /// Sets the visibility timeout (whole seconds, at most 12 h) with SQS `ChangeMessageVisibilityBatch`, 10 per call.
    public func changeVisibility(_ receiptHandles: [String], timeout: Duration) async throws {
        let seconds = Swift.min(SQSLimits.maxVisibilitySeconds, Swift.max(0, Self.seconds(timeout)))
        try await Self.batch(client, "ChangeMessageVisibilityBatch", queueURL, receiptHandles) { _ in ["VisibilityTimeout": .number(Double(seconds))] }
    }

    /// A batch action on receipt handles, 10 at a time. Entries that fail because their handle
    /// is stale (the message was delivered again, or is gone) act on nothing, as the queue
    /// protocol says; any other failure is thrown.
    static func batch(_ client: SQSClient, _ action: String, _ url: String, _ handles: [String],
                      extra: (String) -> JSONObject) async throws {
        var start = 0
        while start < handles.count {
            let end = Swift.min(handles.count, start + SQSLimits.maxBatchEntries)
            let entries: [JSONValue] = (start..<end).map { k in
                var e: JSONObject = ["Id": .string(String(k)), "ReceiptHandle": .string(handles[k])]
                for (key, value) in extra(handles[k]).entries { e[key] = value }
                return .object(e)
            }
            let answer = try await client.call(action, ["QueueUrl": .string(url), "Entries": .array(entries)])
            if case .array(let failed)? = answer["Failed"] {
                for case .object(let f) in failed {
                    let code = string(f["Code"]) ?? ""
                    if ["ReceiptHandleIsInvalid", "InvalidParameterValue", "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight"].contains(code) { continue }
                    throw SQSError(action: action, code: code, message: string(f["Message"]) ?? "", status: 400)
                }
            }
            start = end
        }
    }

    /// Sends the message to the redrive policy's dead-letter queue with the reason, then deletes it; throws ``QueueError`` without a redrive policy.
    public func deadLetter(_ message: QueueMessage, reason: String) async throws {
        guard let dlq = try await deadLetterQueueURL() else {
            throw QueueError(.backend, "\(queueURL) has no redrive policy, so there is no dead-letter queue to move the message to; give the queue a RedrivePolicy (Docs/deploy/template.yaml does)")
        }
        var attributes = ["dead_letter_reason": String(reason.prefix(1000))]
        if let id = message.jobID { attributes["job_id"] = id }
        _ = try await Self.send(client, dlq, [(message.body, attributes)])
        try await delete([message.receiptHandle])
    }

    /// Moves up to `limit` dead letters (all when nil) back by `ReceiveMessage`, `SendMessageBatch` and `DeleteMessageBatch`, 10 per round; returns how many.
    public func redrive(limit: Int?) async throws -> Int {
        guard let dlq = try await deadLetterQueueURL() else { return 0 }
        let source = SQSJobQueue(client: client, queueURL: dlq)
        var moved = 0
        while limit.map({ moved < $0 }) ?? true {
            let batch = try await source.receive(max: Swift.min(SQSLimits.maxBatchEntries, (limit ?? Int.max) - moved),
                                                 visibilityTimeout: .seconds(60), wait: .zero)
            if batch.isEmpty { break }
            _ = try await Self.send(client, queueURL, batch.map { ($0.body, $0.jobID.map { ["job_id": $0] } ?? [:]) })
            try await source.delete(batch.map(\.receiptHandle))
            moved += batch.count
        }
        return moved
    }

    /// Always nil: SQS has no lookup of a message by an attribute.
    public func state(ofJob jobID: String) async throws -> MessageState? { nil }

    /// The queue's and its dead-letter queue's approximate counts (SQS `GetQueueAttributes`; delayed messages count as in flight).
    public func depth() async throws -> QueueDepth {
        let (visible, inFlight) = try await counts(queueURL)
        var dead = 0
        if let dlq = try await deadLetterQueueURL() {
            let (v, f) = try await counts(dlq)
            dead = v + f
        }
        return QueueDepth(visible: visible, inFlight: inFlight, deadLettered: dead)
    }

    private func counts(_ url: String) async throws -> (Int, Int) {
        let answer = try await client.call("GetQueueAttributes", [
            "QueueUrl": .string(url),
            "AttributeNames": .array([.string("ApproximateNumberOfMessages"), .string("ApproximateNumberOfMessagesNotVisible"),
                                      .string("ApproximateNumberOfMessagesDelayed")]),
        ])
        guard case .object(let a)? = answer["Attributes"] else { return (0, 0) }
        func n(_ k: String) -> Int { Self.string(a[k]).flatMap(Int.init) ?? 0 }
        return (n("ApproximateNumberOfMessages"), n("ApproximateNumberOfMessagesNotVisible") + n("ApproximateNumberOfMessagesDelayed"))
    }

    /// The URL of the dead-letter queue named by the queue's redrive policy (looked up once).
    public func deadLetterQueueURL() async throws -> String? {
        if let known = deadLetterURL.withLock({ $0 }) { return known }
        let answer = try await client.call("GetQueueAttributes", ["QueueUrl": .string(queueURL), "AttributeNames": .array([.string("RedrivePolicy")])])
        var url: String? = nil
        if case .object(let a)? = answer["Attributes"], let policy = Self.string(a["RedrivePolicy"]),
           case .object(let p)? = JSONValue.parse(Array(policy.utf8)), let arn = Self.string(p["deadLetterTargetArn"]) {
            let parts = arn.split(separator: ":")
            if parts.count == 6 {
                let lookup = try await client.call("GetQueueUrl", ["QueueName": .string(String(parts[5])), "QueueOwnerAWSAccountId": .string(String(parts[4]))])
                url = Self.string(lookup["QueueUrl"])
            }
        }
        deadLetterURL.withLock { $0 = .some(url) }
        return url
    }

    static func string(_ v: JSONValue?) -> String? {
        switch v {
        case .string(let s)?: s
        case .number(let x)?: x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
        default: nil
        }
    }

    /// Whole seconds, rounded up (a visibility of 0.2 s is 1 s on SQS).
    static func seconds(_ d: Duration) -> Int {
        let c = d.components
        return Int(c.seconds) + (c.attoseconds > 0 ? 1 : 0)
    }
}
