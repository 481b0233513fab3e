import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SciLearnService
import ServiceLifecycle
import Testing
@testable import SciLearnHTTP

/// The server on a real socket: Hummingbird's live test mode, and a bare client for what a
/// polite client cannot do (declare a huge body and not send it, stream chunks, hold a request
/// open across a shutdown).
@Suite struct HTTPLiveTests {
    @Test func everyRouteOverASocket() async throws {
        let app = buildApplication(HTTPTestData.configuration(apiKey: "k"), logger: HTTPTestData.quietLogger)
        try await app.test(.live) { client in
            let auth: HTTPFields = [.authorization: "Bearer k"]
            let ok = try await client.execute(uri: "/v1/run", method: .post, headers: auth, body: ByteBuffer(string: HTTPTestData.good))
            #expect(ok.status == .ok)
            #expect(try HTTPTestData.json(ok.body)["id"] as? String == "t-1")
            #expect(try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: HTTPTestData.good)).status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/run", method: .post, headers: auth, body: ByteBuffer(string: "[")).status == .badRequest)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: auth).status == .ok)
            #expect(try await client.execute(uri: "/x", method: .get, headers: auth).status == .notFound)
        }
    }

    /// 413 arrives while nearly all of a declared 100 MB body is still unsent: nothing waits
    /// for (or holds) the body. A chunked body with no declared length is cut off at the limit.
    @Test func oversizedBodiesAre413WithoutBeingRead() async throws {
        let runner = ControlledRunner()
        let app = buildApplication(HTTPTestData.configuration(maxBody: 100_000), logger: HTTPTestData.quietLogger, runner: runner.run)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let declared = try await blocking {
                let c = try RawHTTPConnection(port: port)
                try c.send("POST /v1/run HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n" + String(repeating: " ", count: 1000))
                return try c.readResponse()
            }
            #expect(declared.status == 413)
            #expect(declared.body.contains("too_large") && declared.body.contains("100000000 bytes"))

            let chunked = try await blocking {
                let c = try RawHTTPConnection(port: port)
                try c.send("POST /v1/run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                let chunk = "10000\r\n" + String(repeating: " ", count: 0x10000) + "\r\n"
                for _ in 0..<3 { try c.send(chunk) }  // 192 KiB, no terminating chunk
                return try c.readResponse()
            }
            #expect(chunked.status == 413)
            #expect(chunked.body.contains("too_large"))

            // Under the limit, chunked, is read and run.
            let small = try await blocking {
                let c = try RawHTTPConnection(port: port)
                let body = HTTPTestData.good
                let hex = String(body.utf8.count, radix: 16)
                try c.send("POST /v1/run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\(hex)\r\n\(body)\r\n0\r\n\r\n")
                return try c.readResponse()
            }
            #expect(small.status == 200)
        }
        #expect(runner.startedCount == 1)
    }

    /// A body that stops arriving holds its slot only until the deadline: then 504, and the slot
    /// is free again.
    @Test func stalledUploadIs504AtTheDeadline() async throws {
        let runner = ControlledRunner()
        let app = buildApplication(
            HTTPTestData.configuration(concurrency: 1, timeout: .milliseconds(300)), logger: HTTPTestData.quietLogger, runner: runner.run
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let stalled = try await blocking {
                try RawHTTPConnection.stalledUpload(port: port, declared: 1000, start: "{\"task\":").readResponse()
            }
            #expect(stalled.status == 504)
            #expect(stalled.body.contains("timeout"))
            #expect(runner.startedCount == 0, "a cut-short body is never run")
            // The slot is free again. (The next request has the same 300 ms deadline, which a
            // loaded machine can make it miss: a 504 is asked again, up to a minute.)
            var next = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: HTTPTestData.good)).status
            let deadline = Date().addingTimeInterval(60)
            while next == .gatewayTimeout, Date() < deadline {
                next = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(string: HTTPTestData.good)).status
            }
            #expect(next == .ok, "the slot is free again")
        }
    }

    /// Graceful shutdown (what SIGTERM triggers): the listener closes, the request in flight is
    /// answered in full, and the service group ends without error.
    @Test func gracefulShutdownFinishesTheInFlightRequest() async throws {
        let runner = ControlledRunner(gated: true)
        let port = Box<Int>()
        let app = buildApplication(
            HTTPTestData.configuration(), logger: HTTPTestData.quietLogger,
            onServerRunning: { port.set($0) }, runner: runner.run
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: HTTPTestData.quietLogger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { runner.open(100) }
            let p = try await port.wait()
            let connection = try RawHTTPConnection(port: p)
            let body = HTTPTestData.good
            try connection.send("POST /v1/run HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            try await runner.waitForStarted(1)

            await group.triggerGracefulShutdown()
            // New connections are refused once the listener is closed.
            var refused = false
            let deadline = Date().addingTimeInterval(60)
            while !refused, Date() < deadline {
                refused = (try? RawHTTPConnection(port: p)) == nil
                if !refused { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(refused, "the listener must close on shutdown")

            runner.open()
            let response = try await blocking { try connection.readResponse() }
            #expect(response.status == 200)
            #expect(response.body.contains(#""status":"ok""#))
            try await tasks.next()  // the group ends, without error
        }
    }
}
