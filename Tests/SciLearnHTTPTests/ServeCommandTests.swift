import Foundation
import SciLearnTestSupport
import Testing

/// `scilearn serve` as a process: flags are validated, SIGTERM while a request is in flight
/// answers that request and exits 0.
@Suite(.ownThread(.waiting)) struct ServeCommandTests {
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/scilearn")

    /// Starts the server on a free port and returns it with its port (read from its log).
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Int) {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the scilearn binary first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "0"] + arguments
        // The default queue (./.scilearn/queue.db) goes in a directory of its own.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        process.currentDirectoryURL = dir
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let (port, log) = ListeningPort.read(from: errors, within: 20)
        if let port { return (process, port) }
        process.terminate()
        throw RawHTTPConnection.Failure(description: "the server did not report its port; log: \(log)")
    }

    static func waitForExit(_ process: Process, within seconds: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return process.isRunning ? nil : process.terminationStatus
    }

    @Test func sigtermFinishesTheInFlightRequestAndExitsZero() async throws {
        let (process, port) = try await OwnThread.run { try Self.start([], environment: ["SCILEARN_API_KEY": "env-key"]) }
        defer { if process.isRunning { process.terminate() } }
        let body = Array(HTTPTestData.good.utf8)
        let result = try await blocking { () throws -> (RawHTTPConnection.Response, RawHTTPConnection.Response, Bool) in
            // The key comes from the environment.
            let unauthorized = try RawHTTPConnection.request(port: port, method: "POST", path: "/v1/run", body: HTTPTestData.good)
            // Half a body: the request is in flight (its body being read) when SIGTERM arrives.
            let c = try RawHTTPConnection(port: port)
            try c.send("POST /v1/run HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer env-key\r\nContent-Length: \(body.count)\r\n\r\n")
            try c.send(Array(body[..<10]))
            var inFlight = false
            let metricsDeadline = Date().addingTimeInterval(10)
            while !inFlight, Date() < metricsDeadline {
                let m = try RawHTTPConnection.request(port: port, method: "GET", path: "/metrics", headers: ["Authorization": "Bearer env-key"])
                inFlight = m.body.contains("scilearn_http_uploads_in_progress 1")
                if !inFlight { Thread.sleep(forTimeInterval: 0.01) }
            }
            kill(process.processIdentifier, SIGTERM)
            Thread.sleep(forTimeInterval: 0.2)
            try c.send(Array(body[10...]))
            return (unauthorized, try c.readResponse(), inFlight)
        }
        #expect(result.2, "the request must be in flight when SIGTERM arrives")
        #expect(result.0.status == 401)
        #expect(result.1.status == 200)
        #expect(result.1.body.contains(#""id":"t-1""#))
        #expect(try await OwnThread.run { Self.waitForExit(process) } == 0)
    }

    @Test(arguments: [
        ["--concurrency", "0"], ["--concurrency", "100000"], ["--port", "70000"], ["--max-body", "0"], ["--timeout", "-1"],
        ["--timeout", "1e300"], ["--timeout", "nan"],
        ["--api-key", ""], ["--log-level", "loud"], ["--bogus"],
        ["--header-timeout", "0"], ["--body-timeout", "nan"], ["--idle-timeout", "1e300"], ["--max-connections", "0"],
        ["--max-uploads", "0"], ["--max-upload-memory", "0"],
    ])
    func badFlagsAreUsageErrors(_ flags: [String]) async throws {
        try await OwnThread.run { try Self.badFlagsAreUsageErrorsBody(flags) }
    }

    /// On a thread of its own: waiting for processes must not hold the test runner's cooperative threads.
    static func badFlagsAreUsageErrorsBody(_ flags: [String]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path))
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve"] + flags
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(Self.waitForExit(process) == 2, "\(flags)")
        #expect(message.contains(flags[0]), "the message names the flag: \(message)")
    }
}
