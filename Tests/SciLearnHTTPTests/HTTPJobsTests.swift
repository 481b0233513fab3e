import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SciLearnQueue
import SciLearnBackends
import SciLearnService
import Testing
@testable import SciLearnHTTP

/// `POST /v1/jobs` and `GET /v1/jobs/{id}` over real sockets, on the embedded SQLite queue with
/// the embedded worker running as one of the application's services.
@Suite struct HTTPJobsTests {
    static func jobs(worker: Bool = true) throws -> AsyncJobs {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-http-jobs-\(UUID().uuidString)")
        let backend = try JobBackend.open(queue: "sqlite:\(dir.path)/queue.db")
        let w = try worker ? QueueWorker(
            queue: backend.queue, success: backend.success, failure: backend.failure,
            configuration: QueueWorkerConfiguration(concurrency: 2, wait: .milliseconds(100), drainTimeout: .seconds(5)),
            logger: HTTPTestData.quietLogger
        ) : nil
        return AsyncJobs(backend: backend, worker: w)
    }

    /// Polls the job until it has ended.
    static func finished(_ client: some TestClientProtocol, _ id: String) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let r = try await client.execute(uri: "/v1/jobs/\(id)", method: .get)
            #expect(r.status == .ok)
            let json = try HTTPTestData.json(r.body)
            if ["succeeded", "failed"].contains(json["status"] as? String) { return json }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw RawHTTPConnection.Failure(description: "job \(id) did not finish")
    }

    @Test func aQueuedJobRunsAndItsResponseIsReadable() async throws {
        let jobs = try Self.jobs()
        let app = buildApplication(HTTPTestData.configuration(), jobs: jobs, logger: HTTPTestData.quietLogger)
        try await app.test(.live) { client in
            let posted = try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: HTTPTestData.good))
            #expect(posted.status == .accepted)
            #expect(posted.headers[.location] == "/v1/jobs/t-1")
            let ack = try HTTPTestData.json(posted.body)
            #expect(ack["id"] as? String == "t-1")
            #expect(ack["status"] as? String == "queued")
            #expect(ack.count == 2)

            let done = try await Self.finished(client, "t-1")
            #expect(done["status"] as? String == "succeeded")
            #expect(done["attempts"] as? Int == 1)
            var response = try #require(done["response"] as? [String: Any])
            var want = try #require(try JSONSerialization.jsonObject(with: Data(SciLearnService().run(body: Array(HTTPTestData.good.utf8)).json.utf8)) as? [String: Any])
            response["elapsed_ms"] = nil
            want["elapsed_ms"] = nil
            #expect(NSDictionary(dictionary: response) == NSDictionary(dictionary: want))

            // The same id again: the existing job, not a second run.
            let again = try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: HTTPTestData.good))
            #expect(again.status == .ok)
            #expect(again.headers[.location] == "/v1/jobs/t-1")
            #expect(try HTTPTestData.json(again.body)["status"] as? String == "succeeded")
            try await Task.sleep(for: .milliseconds(300))
            #expect(jobs.worker?.statistics.succeeded == 1)
            #expect(jobs.worker?.statistics.duplicates == 0)

            let metrics = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: metrics.body)
            #expect(text.contains(#"scilearn_queue_messages{state="visible"} 0"#))
            #expect(text.contains(#"scilearn_jobs_total{task="linear_regression",status="ok"} 1"#))
        }
    }

    /// The path id is percent-decoded: `a%3Ab.c-d_e` is the job `a:b.c-d_e`; `.` and `..` are not
    /// ids (their `Location` would be unusable).
    @Test func pathIDsArePercentDecodedAndDotsRefused() async throws {
        let app = buildApplication(HTTPTestData.configuration(), jobs: try Self.jobs(), logger: HTTPTestData.quietLogger)
        try await app.test(.live) { client in
            let body = HTTPTestData.good.replacingOccurrences(of: "\"t-1\"", with: "\"a:b.c-d_e\"")
            #expect(try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: body)).status == .accepted)
            let done = try await Self.finished(client, "a%3Ab.c-d_e")
            #expect(done["id"] as? String == "a:b.c-d_e")
            #expect(done["status"] as? String == "succeeded")
            let dots = HTTPTestData.good.replacingOccurrences(of: "\"t-1\"", with: "\"..\"")
            let refused = try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: dots))
            #expect(refused.status == .badRequest)
            #expect(String(buffer: refused.body).contains("invalid_params"))
            #expect(try await client.execute(uri: "/v1/jobs/%2E%2E", method: .get).status == .notFound)
        }
    }

    @Test func withoutAnIDTheServerAssignsOne() async throws {
        let app = buildApplication(HTTPTestData.configuration(), jobs: try Self.jobs(), logger: HTTPTestData.quietLogger)
        try await app.test(.live) { client in
            let body = #"{"task":"linear_regression","data":{"X":[[1],[2],[3]],"y":[1,2,4]}}"#
            let posted = try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: body))
            #expect(posted.status == .accepted)
            let id = try #require(try HTTPTestData.json(posted.body)["id"] as? String)
            #expect(UUID(uuidString: id) != nil)
            let done = try await Self.finished(client, id)
            #expect((done["response"] as? [String: Any])?["id"] as? String == id, "the response carries the assigned id")
        }
    }

    @Test func aJobThatFailsIsReportedFailedWithItsError() async throws {
        let app = buildApplication(HTTPTestData.configuration(), jobs: try Self.jobs(), logger: HTTPTestData.quietLogger)
        try await app.test(.live) { client in
            let body = #"{"id":"f-1","task":"linear_regression","data":{"X":[[1],[2]],"y":[1]}}"#
            #expect(try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: body)).status == .accepted)
            let done = try await Self.finished(client, "f-1")
            #expect(done["status"] as? String == "failed")
            #expect(((done["response"] as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "invalid_data")
        }
    }

    struct Refusal: Sendable, CustomStringConvertible {
        let body: String
        let status: Int
        let code: String
        var description: String { "\(status) \(code)" }
    }

    @Test(arguments: [
        Refusal(body: "not json", status: 400, code: "invalid_json"),
        Refusal(body: "[1,2]", status: 400, code: "invalid_json"),
        Refusal(body: #"{"task":"nope"}"#, status: 400, code: "unknown_task"),
        Refusal(body: #"{"data":{}}"#, status: 400, code: "unknown_task"),
        Refusal(body: #"{"id":"has space","task":"linear_regression","data":{"X":[[1]],"y":[1]}}"#, status: 400, code: "invalid_params"),
        Refusal(body: #"{"task":"linear_regression","extra":1}"#, status: 400, code: "invalid_params"),
        Refusal(body: #"{"id":"0","task":"predict","params":null,"data":[null,null]}"#, status: 400, code: "invalid_data"),
        Refusal(body: #"{"task":"linear_regression","data":{"X":[[1]],"y":[1],"Z":1}}"#, status: 400, code: "invalid_data"),
        Refusal(body: #"{"task":"linear_regression"}"#, status: 400, code: "invalid_data"),
        Refusal(body: #"{"task":"linear_regression","params":[1],"data":{"X":[[1]],"y":[1]}}"#, status: 400, code: "invalid_params"),
        Refusal(body: #"{"task":"linear_regression","params":{"alpah":0.1},"data":{"X":[[1]],"y":[1]}}"#, status: 400, code: "invalid_params"),
        Refusal(body: "{\"task\":\"linear_regression\",\"data\":\"" + String(repeating: "x", count: 2000) + "\"}", status: 413, code: "too_large"),
    ])
    func badEnvelopesAreRefusedAndNothingIsQueued(_ r: Refusal) async throws {
        let jobs = try Self.jobs(worker: false)
        let app = buildApplication(HTTPTestData.configuration(maxBody: 1000), jobs: jobs, logger: HTTPTestData.quietLogger)
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: r.body))
            #expect(response.status.code == r.status)
            #expect(try HTTPTestData.errorCode(response.body) == r.code)
        }
        #expect(try await jobs.backend.queue.depth() == QueueDepth(visible: 0, inFlight: 0, deadLettered: 0))
    }

    @Test func unknownJobsAre404AndOtherMethods405() async throws {
        let app = buildApplication(HTTPTestData.configuration(), jobs: try Self.jobs(worker: false), logger: HTTPTestData.quietLogger)
        try await app.test(.live) { client in
            for id in ["nope", "bad%20id", String(repeating: "a", count: 200)] {
                let r = try await client.execute(uri: "/v1/jobs/\(id)", method: .get)
                #expect(r.status == .notFound, "\(id)")
                #expect(try HTTPTestData.errorCode(r.body) == "not_found")
            }
            let r = try await client.execute(uri: "/v1/jobs/x", method: .post)
            #expect(r.status == .methodNotAllowed)
            #expect(r.headers[.allow] == "GET, HEAD")
            let q = try await client.execute(uri: "/v1/jobs", method: .get)
            #expect(q.status == .methodNotAllowed)
            #expect(q.headers[.allow] == "POST")
        }
    }

    @Test func queuedWithoutAWorkerIsQueuedAndTheKeyIsRequired() async throws {
        let app = buildApplication(HTTPTestData.configuration(apiKey: "k"), jobs: try Self.jobs(worker: false), logger: HTTPTestData.quietLogger)
        try await app.test(.live) { client in
            let refused = try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: HTTPTestData.good))
            #expect(refused.status == .unauthorized)
            let auth: HTTPFields = [.authorization: "Bearer k"]
            #expect(try await client.execute(uri: "/v1/jobs/t-1", method: .get, headers: auth).status == .notFound, "the refused POST queued nothing")
            #expect(try await client.execute(uri: "/v1/jobs", method: .post, headers: auth, body: ByteBuffer(string: HTTPTestData.good)).status == .accepted)
            let status = try HTTPTestData.json(try await client.execute(uri: "/v1/jobs/t-1", method: .get, headers: auth).body)
            #expect(status["status"] as? String == "queued")
            #expect(status["attempts"] as? Int == 0)
            #expect(status["response"] is NSNull)
        }
    }

    @Test func withoutAQueueTheAsyncRoutesDoNotExist() async throws {
        let app = buildApplication(HTTPTestData.configuration(), logger: HTTPTestData.quietLogger)
        try await app.test(.router) { client in
            let r = try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: HTTPTestData.good))
            #expect(r.status == .notFound)
        }
    }
}
