import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SciLearnService
import Testing
@testable import SciLearnHTTP

/// Every route and every status of the contract's table, through Hummingbird's router test
/// framework (no sockets).
@Suite struct HTTPRouteTests {
    @Test func runAnswersWhatTheServiceAnswers() async throws {
        let app = buildApplication(HTTPTestData.configuration(), logger: HTTPTestData.quietLogger)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: HTTPTestData.good))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let timing = try #require(response.headers[HTTPField.Name("Server-Timing")!])
            #expect(timing.hasPrefix("job;dur=") && Double(timing.dropFirst(8)).map { $0 >= 0 } == true, "\(timing)")
            var got = try HTTPTestData.json(response.body)
            var want = try #require(try JSONSerialization.jsonObject(with: Data(SciLearnService().run(body: Array(HTTPTestData.good.utf8)).json.utf8)) as? [String: Any])
            got["elapsed_ms"] = nil
            want["elapsed_ms"] = nil
            #expect(NSDictionary(dictionary: got) == NSDictionary(dictionary: want))
        }
    }

    struct StatusCase: Sendable, CustomStringConvertible {
        let body: String
        let status: Int
        let code: String
        var description: String { "\(status) \(code)" }
    }

    static let statusCases: [StatusCase] = [
        StatusCase(body: "not json", status: 400, code: "invalid_json"),
        StatusCase(body: #"{"task":"no_such_task"}"#, status: 400, code: "unknown_task"),
        StatusCase(body: #"{"task":"linear_regression","params":{"alpha":2},"data":{"X":[[1]],"y":[1]}}"#, status: 400, code: "invalid_params"),
        StatusCase(body: #"{"task":"linear_regression","data":{"X":[[1],[null]],"y":[1,2]}}"#, status: 400, code: "invalid_data"),
        // Over maxCells (set to 4 below): too_large from the service, not the transport.
        StatusCase(body: #"{"task":"linear_regression","data":{"X":[[1,2],[3,4],[5,6]],"y":[1,2,3]}}"#, status: 413, code: "too_large"),
    ]

    @Test(arguments: statusCases) func serviceErrorsGetTheirStatus(_ c: StatusCase) async throws {
        var configuration = HTTPTestData.configuration()
        configuration.limits.maxCells = 4
        let app = buildApplication(configuration, logger: HTTPTestData.quietLogger)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: c.body))
            #expect(response.status.code == c.status)
            #expect(try HTTPTestData.errorCode(response.body) == c.code)
            #expect(response.headers[.contentType] == "application/json")
        }
    }

    /// Codes no input reaches today (numerical_failure, internal): the mapping is the table's.
    @Test(arguments: [ErrorCode.numericalFailure, .internal, .invalidParams, .tooLarge])
    func everyCodeMapsThroughTheSharedTable(_ code: ErrorCode) async throws {
        let runner = ControlledRunner { _ in .failure(code, "forced", id: "x", task: "linear_regression") }
        let app = buildApplication(HTTPTestData.configuration(), logger: HTTPTestData.quietLogger, runner: runner.run)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: HTTPTestData.good))
            #expect(response.status.code == code.httpStatus)
            let json = try HTTPTestData.json(response.body)
            #expect(json["id"] as? String == "x")
            #expect(json["status"] as? String == "error")
            #expect(try HTTPTestData.errorCode(response.body) == code.rawValue)
        }
    }

    @Test func declaredBodyOverTheLimitIs413BeforeAnyWork() async throws {
        let runner = ControlledRunner()
        let app = buildApplication(HTTPTestData.configuration(maxBody: 100), logger: HTTPTestData.quietLogger, runner: runner.run)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(repeating: UInt8(ascii: " "), count: 101))
            #expect(response.status == .contentTooLarge)
            #expect(try HTTPTestData.errorCode(response.body) == "too_large")
            let ok = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: #"{"task":"x"}"#))
            #expect(ok.status == .badRequest)
        }
        #expect(runner.startedCount == 1)
    }

    @Test func healthMetricsAndUnknownRoutes() async throws {
        let app = buildApplication(HTTPTestData.configuration(), logger: HTTPTestData.quietLogger)
        try await app.test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(try HTTPTestData.json(health.body)["status"] as? String == "ok")
            #expect(try await client.execute(uri: "/healthz", method: .head).status == .ok)

            let missing = try await client.execute(uri: "/v2/run", method: .post)
            #expect(missing.status == .notFound)
            #expect(try HTTPTestData.errorCode(missing.body) == "not_found")

            let wrongMethod = try await client.execute(uri: "/v1/run", method: .get)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "POST")
            #expect(try HTTPTestData.errorCode(wrongMethod.body) == "method_not_allowed")
            #expect(try await client.execute(uri: "/healthz", method: .post).status == .methodNotAllowed)

            _ = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: HTTPTestData.good))
            _ = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: "{"))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: metrics.body)
            for line in [
                #"scilearn_jobs_total{task="linear_regression",status="ok"} 1"#,
                #"scilearn_jobs_total{task="unknown",status="invalid_json"} 1"#,
                #"scilearn_failures_total{code="invalid_json"} 1"#,
                #"scilearn_failures_total{code="not_found"} 1"#,
                #"scilearn_failures_total{code="method_not_allowed"} 2"#,
                #"scilearn_http_requests_total{method="POST",path="/v1/run",status="200"} 1"#,
                #"scilearn_http_requests_total{method="POST",path="NotFound",status="404"} 1"#,
                #"scilearn_job_duration_seconds_count{task="linear_regression",status="ok"} 1"#,
                "scilearn_jobs_in_flight 0.0",
            ] {
                #expect(text.contains(line), "missing: \(line)")
            }
        }
    }

    @Test func bearerAuthGuardsEveryPathButHealthz() async throws {
        let runner = ControlledRunner()
        let app = buildApplication(HTTPTestData.configuration(apiKey: "s3cret-key"), logger: HTTPTestData.quietLogger, runner: runner.run)
        try await app.test(.router) { client in
            let body = ByteBuffer(string: HTTPTestData.good)
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong"], [.authorization: "Bearer s3cret-ke"],
                                        [.authorization: "Bearer s3cret-key2"], [.authorization: "Basic czNjcmV0LWtleQ=="],
                                        [.authorization: "s3cret-key"], [.authorization: "Bearer "]] {
                let r = try await client.execute(uri: "/v1/run", method: .post, headers: headers, body: body)
                #expect(r.status == .unauthorized, "\(headers)")
                #expect(r.headers[.wwwAuthenticate] == #"Bearer realm="scilearn""#)
                #expect(try HTTPTestData.errorCode(r.body) == "unauthorized")
            }
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/nowhere", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(runner.startedCount == 0, "no work is done without the key")

            for scheme in ["Bearer", "bearer", "BEARER"] {
                let r = try await client.execute(uri: "/v1/run", method: .post, headers: [.authorization: "\(scheme) s3cret-key"], body: body)
                #expect(r.status == .ok)
            }
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer s3cret-key"]).status == .ok)
        }
        #expect(runner.startedCount == 3)
    }

    @Test func constantTimeComparison() {
        let eq = APIKey.constantTimeEqual
        #expect(eq(Array("abc".utf8), Array("abc".utf8)))
        #expect(!eq(Array("abc".utf8), Array("abd".utf8)))
        #expect(!eq(Array("abc".utf8), Array("ab".utf8)))
        #expect(!eq(Array("".utf8), Array("a".utf8)))
        #expect(eq([], []))
        // A length differing by a multiple of 256 must not wrap to "equal".
        #expect(!eq([UInt8](repeating: 0, count: 256), []))
    }

    @Test func saturatedServerAnswers503AtOnce() async throws {
        let runner = ControlledRunner(gated: true)
        let app = buildApplication(HTTPTestData.configuration(concurrency: 2), logger: HTTPTestData.quietLogger, runner: runner.run)
        try await app.test(.router) { client in
            defer { runner.open(100) }  // never leave a pool thread blocked, even on failure
            let body = ByteBuffer(string: HTTPTestData.good)
            async let first = client.execute(uri: "/v1/run", method: .post, body: body)
            async let second = client.execute(uri: "/v1/run", method: .post, body: body)
            try await runner.waitForStarted(2)

            let clock = ContinuousClock()
            let start = clock.now
            let rejected = try await client.execute(uri: "/v1/run", method: .post, body: body)
            // Both slots are held by gated jobs that never finish during the test: a 503 that
            // waited for a slot would not come at all. The bound is a hang guard.
            #expect(clock.now - start < .seconds(60), "503 must not wait for a slot")
            #expect(rejected.status == .serviceUnavailable)
            #expect(rejected.headers[.retryAfter] == "1")
            #expect(try HTTPTestData.errorCode(rejected.body) == "overloaded")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok, "health is not limited")
            let gauge = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(gauge.contains("scilearn_jobs_in_flight 2.0"))

            runner.open(3)  // the two blocked jobs, and the one below
            #expect(try await first.status == .ok)
            #expect(try await second.status == .ok)
            #expect(try await client.execute(uri: "/v1/run", method: .post, body: body).status == .ok, "slots come back")
        }
    }

    @Test func pastTheDeadlineIs504AndTheSlotStaysHeldUntilTheWorkEnds() async throws {
        let runner = ControlledRunner(gated: true)
        let app = buildApplication(
            HTTPTestData.configuration(concurrency: 1, timeout: .milliseconds(200)), logger: HTTPTestData.quietLogger, runner: runner.run
        )
        try await app.test(.router) { client in
            defer { runner.open(100) }
            let body = ByteBuffer(string: HTTPTestData.good)
            let timedOut = try await client.execute(uri: "/v1/run", method: .post, body: body)
            #expect(timedOut.status == .gatewayTimeout)
            #expect(try HTTPTestData.errorCode(timedOut.body) == "timeout")
            // The job still occupies its thread: the limit of 1 is still reached.
            #expect(try await client.execute(uri: "/v1/run", method: .post, body: body).status == .serviceUnavailable)
            runner.open()
            // Once it ends, the slot is free again. (A request that gets the slot on a loaded
            // machine can itself outlast the 200 ms deadline: a 504 holds the slot until its
            // job, released below, ends; the loop goes on until one is answered 200.)
            let deadline = Date().addingTimeInterval(60)
            var status = HTTPResponse.Status.serviceUnavailable
            while status != .ok, Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
                runner.open()
                status = try await client.execute(uri: "/v1/run", method: .post, body: body).status
            }
            #expect(status == .ok)
        }
    }
}
