import Foundation
import SciLearnAWS
import SciLearnJSON
import SciLearnQueueSQS

/// (d) The SQS backend against `moto_server`: the bench sends each job with `SendMessage` (as
/// API Gateway's SQS integration or any producer does), a `scilearn worker` process runs it, and
/// the bench's collectors long-poll the success and failure queues for its record. The job is
/// readable when its record has been received.
final class SQSTransport: Transport, @unchecked Sendable {
    let client: SQSClient
    let jobsQueue: String, successQueue: String, failureQueue: String
    let worker: ChildProcess
    let completions = Completions()
    var collectors: [Task<Void, Never>] = []
    var name: String { "sqs" }

    static func client(endpoint: String) -> SQSClient {
        SQSClient(endpoint: URL(string: endpoint)!, credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"),
                  region: "us-east-1", http: HTTPCalls.client)
    }

    static func createQueue(_ client: SQSClient, _ name: String) async throws -> String {
        let out = try await client.call("CreateQueue", ["QueueName": .string(name), "Attributes": .object(["VisibilityTimeout": .string("120")])])
        guard case .string(let url)? = out["QueueUrl"] else { throw BenchError("CreateQueue \(name) gave no QueueUrl") }
        return url
    }

    /// The AWS settings a process talking to moto needs.
    static func environment(endpoint: String) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_SQS": endpoint]
    }

    init(scilearn: String, endpoint: String, workerArguments: [String], concurrency: Int, runDirectory: String) async throws {
        client = Self.client(endpoint: endpoint)
        let tag = UUID().uuidString.prefix(8)
        jobsQueue = try await Self.createQueue(client, "bench-jobs-\(tag)")
        successQueue = try await Self.createQueue(client, "bench-success-\(tag)")
        failureQueue = try await Self.createQueue(client, "bench-failure-\(tag)")
        worker = try ChildProcess(scilearn, ["worker", "--queue", jobsQueue, "--endpoint", endpoint, "--success-destination", successQueue,
                                             "--failure-destination", failureQueue, "--concurrency", "\(concurrency)", "--log-level", "error"]
                                  + workerArguments, environment: Self.environment(endpoint: endpoint),
                                  log: "\(runDirectory)/sqs-worker.log", name: "worker")
        for (queue, ok) in [(successQueue, true), (failureQueue, false)] {
            collectors.append(Task { [client, completions] in await Self.collect(client, queue, ok: ok, into: completions) })
        }
    }

    /// Long-polls `queue` for records, resolving each job by its `job_id` attribute, and deletes them.
    static func collect(_ client: SQSClient, _ queue: String, ok: Bool, into completions: Completions) async {
        while !Task.isCancelled {
            guard let out = try? await client.call("ReceiveMessage", ["QueueUrl": .string(queue), "MaxNumberOfMessages": .number(10),
                                                                      "WaitTimeSeconds": .number(1), "MessageAttributeNames": .array([.string("All")])]),
                  case .array(let messages)? = out["Messages"] else { continue }
            var handles: [JSONValue] = []
            for case .object(let m) in messages {
                if case .object(let attrs)? = m["MessageAttributes"], case .object(let j)? = attrs["job_id"], case .string(let id)? = j["StringValue"] {
                    await completions.resolve(id, ok: ok)
                }
                if case .string(let h)? = m["ReceiptHandle"] {
                    handles.append(.object(["Id": .string("m\(handles.count)"), "ReceiptHandle": .string(h)]))
                }
            }
            if !handles.isEmpty { _ = try? await client.call("DeleteMessageBatch", ["QueueUrl": .string(queue), "Entries": .array(handles)]) }
        }
    }

    func run(id: String, body: [UInt8]) async throws -> JobOutcome {
        _ = try await client.call("SendMessage", ["QueueUrl": .string(jobsQueue), "MessageBody": .string(String(decoding: body, as: UTF8.self)),
                                                  "MessageAttributes": .object(["job_id": .object(["DataType": .string("String"), "StringValue": .string(id)])])])
        return JobOutcome(ok: await completions.wait(id))
    }

    func close() async {
        worker.stop()
        for c in collectors { c.cancel() }
        for q in [jobsQueue, successQueue, failureQueue] { _ = try? await client.call("DeleteQueue", ["QueueUrl": .string(q)]) }
    }
}
