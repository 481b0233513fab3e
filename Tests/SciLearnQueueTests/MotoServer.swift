import Foundation
import SciLearnQueue
@testable import SciLearnQueueSQS
@testable import SciLearnAWS
import SciLearnService
import SciLearnTestSupport
import Testing

/// A real SQS-compatible server for the tests: `moto_server` (PyPI `moto[server]`, installed by
/// Scripts/setup) started on a free loopback port, and stopped when the test is done.
final class MotoServer: Sendable {
    let process: Process
    let port: Int
    let endpoint: String
    /// The credentials and region the backend reads (moto accepts any; it routes by the region).
    let environment: [String: String]
    let client: SQSClient

    init() throws {
        port = Self.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        environment = ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "test-secret", "AWS_REGION": "us-east-1"]
        client = SQSClient(endpoint: URL(string: endpoint)!, credentials: AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "test-secret"),
                           region: "us-east-1")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Runs `body` with a started server, stopping it afterwards whatever happens.
    static func with<T>(_ body: (MotoServer) async throws -> T) async throws -> T {
        var server = try MotoServer()
        var attempts = 1
        while !(await server.ready()) {
            // The port was free when ``freePort()`` looked, but another test's server can take it
            // before moto binds it, and moto then exits (a fresh-clone CI run): a new port, up to
            // five times. A server still running past the deadline is a failure.
            let exited = !server.process.isRunning
            await server.stopOffThePool()
            try #require(exited && attempts < 5,
                         "moto_server did not start on \(server.endpoint) (attempt \(attempts)): run Scripts/setup (it installs moto[server] from PyPI)")
            attempts += 1
            server = try MotoServer()
        }
        do {
            let result = try await body(server)
            await server.stopOffThePool()
            return result
        } catch {
            await server.stopOffThePool()
            throw error
        }
    }

    /// ``stop()`` on a thread of its own: waiting for the process must not hold one of the test
    /// runner's cooperative threads.
    func stopOffThePool() async {
        let process = self.process
        _ = try? await OwnThread.run {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// Whether the server answers within two minutes (a hang guard: Python's start-up takes
    /// seconds on a loaded machine, with up to three suites starting one at once); false at once
    /// when the process has exited.
    func ready() async -> Bool {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if !process.isRunning { return false }
            do {
                _ = try await client.call("ListQueues", [:], timeout: .seconds(2))
                return true
            } catch {}
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// SIGKILL: moto's development server does not exit on SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Creates a queue (with a dead-letter queue and a redrive policy when `maxReceiveCount` is
    /// given); returns its URL and the dead-letter queue's.
    func createQueue(_ name: String, maxReceiveCount: Int? = nil) async throws -> (url: String, deadLetter: String?) {
        var attributes = JSONObject()
        var dlq: String? = nil
        if let maxReceiveCount {
            let d = try await client.call("CreateQueue", ["QueueName": .string(name + "-dlq")])
            dlq = SQSJobQueue.string(d["QueueUrl"])
            let a = try await client.call("GetQueueAttributes", ["QueueUrl": .string(dlq!), "AttributeNames": .array([.string("QueueArn")])])
            guard case .object(let attrs)? = a["Attributes"], let arn = SQSJobQueue.string(attrs["QueueArn"]) else {
                throw QueueError(.backend, "no QueueArn for \(name)-dlq")
            }
            attributes["RedrivePolicy"] = .string(#"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":"\#(maxReceiveCount)"}"#)
        }
        var input: JSONObject = ["QueueName": .string(name)]
        if !attributes.entries.isEmpty { input["Attributes"] = .object(attributes) }
        let q = try await client.call("CreateQueue", input)
        return (try #require(SQSJobQueue.string(q["QueueUrl"])), dlq)
    }

    /// Every message of a queue, received until it is empty (each deleted).
    func drain(_ url: String) async throws -> [QueueMessage] {
        let q = SQSJobQueue(client: client, queueURL: url)
        var all: [QueueMessage] = []
        var empty = 0
        while empty < 2 {
            let batch = try await q.receive(max: 10, visibilityTimeout: .seconds(60), wait: .zero)
            if batch.isEmpty { empty += 1; continue }
            empty = 0
            all += batch
            try await q.delete(batch.map(\.receiptHandle))
        }
        return all
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
