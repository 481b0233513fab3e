import AsyncHTTPClient
import Foundation
import NIOPosix
import SciLearnLambda
import SciLearnQueue
import SciLearnService
import Testing

/// The Lambda adapter against a local Runtime API that speaks the real endpoints and headers:
/// every event type, a crashing invocation (reported through `/error`, the loop goes on), a
/// batch with bad messages (only they are failures), and the init error report.
/// Serialized, each test with its own event loop and HTTP client, both shut down at its end:
/// the Runtime API's long polls and keep-alive connections stay off the shared event loops that
/// other suites' servers use.
@Suite(.serialized) struct LambdaRuntimeTests {
    static let good = #"{"id":"lambda-1","task":"linear_regression","data":{"X":[[1],[2],[3],[4]],"y":[1,2,3,5]}}"#

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    static func sqsEvent(_ bodies: [(id: String, body: String)]) throws -> String {
        let records: [[String: Any]] = bodies.map { b in
            ["messageId": b.id, "receiptHandle": "rh-\(b.id)", "body": b.body, "eventSource": "aws:sqs",
             "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:jobs", "awsRegion": "us-east-1",
             "attributes": ["ApproximateReceiveCount": "2", "SentTimestamp": "1700000000000"], "messageAttributes": [:] as [String: Any]]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: ["Records": records]), as: UTF8.self)
    }

    /// Runs `count` invocations of `handler` from an in-memory Runtime API while `body` feeds it:
    /// the loop's logic, without sockets.
    static func withRuntime(_ handler: LambdaHandler, invocations count: Int,
                            _ body: @Sendable (FakeRuntimeAPI) async throws -> Void) async throws {
        let api = FakeRuntimeAPI()
        let loop = Task { try await LambdaRuntime(client: InMemoryRuntimeClient(api: api), handler: handler).run(limit: count) }
        try await body(api)
        try await loop.value
    }

    /// The same loop against the local Runtime API over HTTP (the one live test): its own event
    /// loop and HTTP client, both shut down at its end.
    static func withLiveRuntime(_ handler: LambdaHandler, invocations count: Int,
                                _ body: @Sendable (FakeRuntimeAPI, LambdaRuntime<HTTPLambdaRuntimeClient>) async throws -> Void) async throws {
        let api = FakeRuntimeAPI()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = HTTPClient(eventLoopGroup: group)
        do {
            try await api.serve(on: group) { address in
                let runtime = LambdaRuntime(client: HTTPLambdaRuntimeClient(api: address, http: client), handler: handler)
                let loop = Task { try await runtime.run(limit: count) }
                try await body(api, runtime)
                try await loop.value
            }
        } catch {
            try? await client.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
        try await client.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func sqsBatchReportsOnlyTheBadMessagesAsFailures() async throws {
        let success = InMemoryDestination(keepFirst: true)
        try await Self.withRuntime(LambdaHandler(success: success), invocations: 1) { api in
            let id = await api.enqueue(try Self.sqsEvent([("m1", Self.good), ("m2", "not json"), ("m3", #"{"task":"no_such_task"}"#),
                                                           ("m4", Self.good.replacingOccurrences(of: "lambda-1", with: "lambda-2"))]))
            let outcome = await api.outcome(id)
            #expect(outcome.kind == "response")
            let answer = try Self.json(outcome.body)
            let failed = (answer["batchItemFailures"] as? [[String: String]])?.compactMap { $0["itemIdentifier"] }
            #expect(failed == ["m2", "m3"])
            let recorded = try await success.record(for: "lambda-1")
            #expect(recorded?.condition == .success && recorded?.approximateInvokeCount == 2)
            #expect(try await success.record(for: "lambda-2") != nil)
        }
    }

    @Test func clientErrorsGoToTheFailureDestinationAndRetryableOnesAreFailures() async throws {
        let success = InMemoryDestination(keepFirst: true), failure = InMemoryDestination(keepFirst: false)
        try await Self.withRuntime(LambdaHandler(success: success, failure: failure), invocations: 2) { api in
            let first = await api.enqueue(try Self.sqsEvent([("m1", Self.good), ("m2", #"{"id":"bad","task":"no_such_task"}"#)]))
            let answer = try Self.json(await api.outcome(first).body)
            #expect((answer["batchItemFailures"] as? [Any])?.isEmpty == true)
            #expect(try await failure.record(for: "bad")?.condition == .clientError)
            // A deadline already past: the job is stopped (timeout, retryable) and reported.
            let late = await api.enqueue(try Self.sqsEvent([("m3", Self.good)]), deadline: Date().addingTimeInterval(-5))
            let lateAnswer = try Self.json(await api.outcome(late).body)
            #expect((lateAnswer["batchItemFailures"] as? [[String: String]])?.first?["itemIdentifier"] == "m3")
        }
    }

    @Test func apiGatewayEventsAnswerWithTheHTTPStatusMapping() async throws {
        try await Self.withRuntime(LambdaHandler(), invocations: 6) { api in
            func v2(_ method: String, _ path: String, _ body: String?, base64: Bool = false) -> String {
                var event: [String: Any] = ["version": "2.0", "routeKey": "$default", "rawPath": path, "headers": ["content-type": "application/json"],
                                            "requestContext": ["http": ["method": method, "path": path], "requestId": "r"], "isBase64Encoded": base64]
                if let body { event["body"] = base64 ? Data(body.utf8).base64EncodedString() : body }
                return String(decoding: try! JSONSerialization.data(withJSONObject: event), as: UTF8.self)
            }
            let v1: String = {
                let event: [String: Any] = ["resource": "/v1/run", "path": "/v1/run", "httpMethod": "POST", "headers": [:] as [String: Any],
                                            "body": Self.good, "isBase64Encoded": false, "requestContext": ["stage": "prod"]]
                return String(decoding: try! JSONSerialization.data(withJSONObject: event), as: UTF8.self)
            }()
            let cases: [(String, Int, String?)] = [
                (v2("POST", "/v1/run", Self.good), 200, "ok"),
                (v2("POST", "/v1/run", Self.good, base64: true), 200, "ok"),
                (v2("POST", "/v1/run", #"{"task":"linear_regression","data":{"X":[[1]],"y":[1,2]}}"#), 400, "invalid_data"),
                (v2("GET", "/healthz", nil), 200, nil),
                (v2("GET", "/v1/run", nil), 405, "method_not_allowed"),
                (v1, 200, "ok"),
            ]
            for (event, status, marker) in cases {
                let outcome = await api.outcome(await api.enqueue(event))
                let answer = try Self.json(outcome.body)
                #expect(answer["statusCode"] as? Int == status, "\(event.prefix(80))")
                #expect((answer["headers"] as? [String: String])?["content-type"] == "application/json")
                if let marker { #expect((answer["body"] as? String)?.contains(marker) == true) }
            }
        }
    }

    /// The function's limits come from its environment as `serve`'s from its flags; a value
    /// that is not a number ≥ 1 is an init error naming the variable.
    @Test func limitsComeFromTheEnvironment() throws {
        let defaults = ServiceLimits()
        #expect(try LambdaHandler.limits(environment: [:]) == defaults)
        #expect(try LambdaHandler.limits(environment: ["SCILEARN_MAX_CELLS": ""]) == defaults)
        let set = try LambdaHandler.limits(environment: ["SCILEARN_MAX_CELLS": "200000000", "SCILEARN_MAX_JOB_MEMORY": "16e9",
                                                         "SCILEARN_MAX_JOB_WORK": "1e13"])
        #expect(set.maxCells == 200_000_000 && set.maxJobMemoryBytes == 16e9 && set.maxJobWork == 1e13 && set.maxBodyBytes == defaults.maxBodyBytes)
        for (key, value) in [("SCILEARN_MAX_CELLS", "many"), ("SCILEARN_MAX_JOB_MEMORY", "0"), ("SCILEARN_MAX_JOB_WORK", "-5"),
                             ("SCILEARN_MAX_CELLS", "1e300"), ("SCILEARN_MAX_CELLS", "1.9"), ("SCILEARN_MAX_JOB_MEMORY", "nan")] {
            let error = #expect(throws: LambdaEventError.self) { try LambdaHandler.limits(environment: [key: value]) }
            #expect(error?.description.contains(key) == true, "\(key)=\(value): \(String(describing: error))")
        }
    }

    /// With `SCILEARN_API_KEY` set, an API Gateway request without the key is refused with 401
    /// before anything runs; `/healthz` stays open; the key in either payload version's header
    /// spelling is accepted.
    @Test func apiGatewayRequestsNeedTheKeyWhenOneIsSet() async throws {
        let handler = LambdaHandler(apiKey: try LambdaHandler.apiKey(environment: ["SCILEARN_API_KEY": "s3cret-key"]))
        try await Self.withRuntime(handler, invocations: 7) { api in
            func v2(_ method: String, _ path: String, headers: [String: String]) -> String {
                var event: [String: Any] = ["version": "2.0", "routeKey": "$default", "rawPath": path, "headers": headers,
                                            "requestContext": ["http": ["method": method, "path": path], "requestId": "r"], "isBase64Encoded": false]
                if method == "POST" { event["body"] = Self.good }
                return String(decoding: try! JSONSerialization.data(withJSONObject: event), as: UTF8.self)
            }
            let v1: String = {
                let event: [String: Any] = ["resource": "/v1/run", "path": "/v1/run", "httpMethod": "POST", "headers": ["Authorization": "Bearer s3cret-key"],
                                            "body": Self.good, "isBase64Encoded": false, "requestContext": ["stage": "prod"]]
                return String(decoding: try! JSONSerialization.data(withJSONObject: event), as: UTF8.self)
            }()
            let cases: [(String, Int, String)] = [
                (v2("POST", "/v1/run", headers: [:]), 401, "missing Authorization header"),
                (v2("POST", "/v1/run", headers: ["authorization": "Bearer wrong"]), 401, "invalid API key"),
                (v2("POST", "/v1/run", headers: ["authorization": "Basic czNjcmV0LWtleQ=="]), 401, "Bearer scheme"),
                (v2("GET", "/nowhere", headers: [:]), 401, "unauthorized"),
                (v2("GET", "/healthz", headers: [:]), 200, "ok"),
                (v2("POST", "/v1/run", headers: ["authorization": "Bearer s3cret-key"]), 200, "\"status\":\"ok\""),
                (v1, 200, "\"status\":\"ok\""),
            ]
            for (event, status, marker) in cases {
                let answer = try Self.json(await api.outcome(await api.enqueue(event)).body)
                #expect(answer["statusCode"] as? Int == status, "\(event.prefix(120))")
                let body = answer["body"] as? String ?? ""
                #expect(body.contains(marker), "\(body)")
                if status == 401 {
                    #expect(body.contains("\"code\":\"unauthorized\""))
                    #expect((answer["headers"] as? [String: String])?["www-authenticate"] == #"Bearer realm="scilearn""#)
                }
            }
        }
        #expect(throws: LambdaEventError.self) { try LambdaHandler.apiKey(environment: ["SCILEARN_API_KEY": ""]) }
        #expect(try LambdaHandler.apiKey(environment: [:]) == nil)
    }

    @Test func aDirectInvocationIsAContractRequest() async throws {
        try await Self.withRuntime(LambdaHandler(), invocations: 1) { api in
            let outcome = await api.outcome(await api.enqueue(Self.good))
            let answer = try Self.json(outcome.body)
            #expect(answer["status"] as? String == "ok" && answer["id"] as? String == "lambda-1" && answer["task"] as? String == "linear_regression")
            let reference = try Self.json(SciLearnService().run(body: Array(Self.good.utf8)).json)
            #expect(NSDictionary(dictionary: answer["result"] as! [String: Any]) == NSDictionary(dictionary: reference["result"] as! [String: Any]))
        }
    }

    @Test func aCrashingInvocationIsReportedAndTheLoopGoesOn() async throws {
        try await Self.withRuntime(LambdaHandler(), invocations: 2) { api in
            let crash = await api.enqueue("this is not an event")
            let next = await api.enqueue(Self.good)
            let failed = await api.outcome(crash)
            #expect(failed.kind == "error" && failed.errorType == "Runtime.InvalidEvent")
            let body = try Self.json(failed.body)
            #expect(body["errorType"] as? String == "Runtime.InvalidEvent" && (body["errorMessage"] as? String)?.contains("not a JSON object") == true)
            #expect(await api.outcome(next).kind == "response", "the loop goes on after a crash")
        }
    }

    /// A response the Runtime API refuses is reported as the invocation's error, and the loop
    /// goes on to the next invocation.
    @Test func aRefusedResponseIsReportedAsAnErrorAndTheLoopGoesOn() async throws {
        let api = FakeRuntimeAPI()
        let loop = Task { try await LambdaRuntime(client: InMemoryRuntimeClient(api: api, refusesResponses: true), handler: LambdaHandler()).run(limit: 2) }
        let first = await api.enqueue(Self.good)
        let second = await api.enqueue(Self.good)
        let a = await api.outcome(first), b = await api.outcome(second)
        #expect(a.kind == "error" && a.errorType == "Runtime.HandlerError")
        #expect(a.body.contains("413") && b.kind == "error")
        try await loop.value
    }

    @Test func initErrorsAreReported() async throws {
        let api = FakeRuntimeAPI()
        try await LambdaRuntime(client: InMemoryRuntimeClient(api: api), handler: LambdaHandler())
            .reportInitError("SCILEARN_SUCCESS_QUEUE_URL: 'x' is not an SQS queue URL")
        let errors = await api.initErrors
        #expect(errors.count == 1 && errors.first?.errorType == "Runtime.InitError" && errors.first?.body.contains("SCILEARN_SUCCESS_QUEUE_URL") == true)
    }

    /// The live Runtime API over HTTP: a response, an error with its
    /// `Lambda-Runtime-Function-Error-Type` header, the deadline header (one already past stops the
    /// job), and an init error.
    @Test func theHTTPClientSpeaksTheRuntimeAPI() async throws {
        try await Self.withLiveRuntime(LambdaHandler(), invocations: 3) { api, runtime in
            let ok = await api.enqueue(Self.good)
            let crash = await api.enqueue("this is not an event")
            let late = await api.enqueue(Self.good, deadline: Date().addingTimeInterval(-5))
            let answer = try Self.json(await api.outcome(ok).body)
            #expect(answer["status"] as? String == "ok")
            let failed = await api.outcome(crash)
            #expect(failed.kind == "error" && failed.errorType == "Runtime.InvalidEvent")
            let stopped = try Self.json(await api.outcome(late).body)
            #expect((stopped["error"] as? [String: Any])?["code"] as? String == "timeout", "\(stopped)")
            try await runtime.reportInitError("SCILEARN_SQS_ENDPOINT: 'x' is not a URL")
            #expect(await api.initErrors.first?.errorType == "Runtime.InitError")
        }
    }
}
