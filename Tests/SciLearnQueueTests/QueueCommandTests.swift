import Foundation
import SciLearnTestSupport
import Testing

/// `scilearn submit / status / redrive / inspect / purge / worker` as processes: output, exit
/// status, and usage errors (exit 2) naming the flag.
@Suite(.ownThread(.waiting)) struct QueueCommandTests {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL) throws -> Output {
        try #require(FileManager.default.isExecutableFile(atPath: WorkerProcess.binary.path), "build the scilearn binary first (swift build)")
        let p = Process()
        p.executableURL = WorkerProcess.binary
        p.arguments = arguments
        p.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func submitStatusInspectRedrivePurge() async throws {
        try await OwnThread.run { try Self.submitStatusInspectRedrivePurgeBody() }
    }

    /// On a thread of its own: waiting for processes must not hold the test runner's cooperative threads.
    static func submitStatusInspectRedrivePurgeBody() throws {
        let dir = try TemporaryDirectory.make()
        let request = #"{"id":"cli-1","task":"linear_regression","data":{"X":[[1],[2],[3]],"y":[1,2,4]}}"#
        try request.write(to: dir.appendingPathComponent("r.json"), atomically: true, encoding: .utf8)

        let first = try Self.run(["submit", "r.json"], in: dir)
        #expect(first.status == 0)
        #expect(first.stdout == "cli-1\n")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".scilearn/queue.db").path), "the default queue")
        let again = try Self.run(["submit", "-"], stdin: request, in: dir)
        #expect(again.status == 0)
        #expect(again.stdout == "cli-1\n")
        #expect(again.stderr.contains("already exists"))

        let assigned = try Self.run(["submit", "-"], stdin: #"{"task":"linear_regression","data":{"X":[[1],[2],[3]],"y":[1,2,4]}}"#, in: dir)
        #expect(assigned.status == 0)
        #expect(UUID(uuidString: assigned.stdout.trimmingCharacters(in: .newlines)) != nil)

        let refused = try Self.run(["submit", "-"], stdin: #"{"task":"linear_regresion"}"#, in: dir)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains(#""code":"unknown_task""#))
        #expect(refused.stdout.contains("linear_regression"), "the near miss is suggested")

        let status = try Self.run(["status", "cli-1"], in: dir)
        #expect(status.status == 0)
        #expect(status.stdout == #"{"id":"cli-1","status":"queued","attempts":0,"response":null}"# + "\n")
        let unknown = try Self.run(["status", "nope"], in: dir)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no job 'nope'"))

        let inspect = try Self.run(["inspect"], in: dir)
        #expect(inspect.stdout.contains(#""visible":2,"in_flight":0,"dead_lettered":0"#))
        #expect(try Self.run(["redrive"], in: dir).stdout.contains("moved 0 dead letters"))
        let unconfirmed = try Self.run(["purge"], in: dir)
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.stderr.contains("--yes"))
        #expect(try Self.run(["purge", "--yes"], in: dir).stdout.contains("deleted 2 messages"))
    }

    @Test(arguments: [
        (["worker", "--queue", "redis://x"], "--queue"),
        (["worker", "--queue", "sqlite:"], "--queue"),
        (["worker", "--max-receive-count", "0"], "--max-receive-count"),
        (["worker", "--concurrency", "0"], "--concurrency"),
        (["worker", "--visibility-timeout", "-1"], "--visibility-timeout"),
        (["worker", "--visibility-timeout", "nan"], "--visibility-timeout"),
        (["worker", "--drain-timeout", "1e300"], "--drain-timeout"),
        (["submit", "--queue", "sqs://q", "-"], "--queue"),
        (["submit", "no-such-file.json"], "no-such-file.json"),
        (["redrive", "--limit", "0"], "--limit"),
        (["serve", "--worker-concurrency", "-1"], "--worker-concurrency"),
        (["serve", "--queue", "nowhere"], "--queue"),
    ])
    func badFlagsAreUsageErrors(_ arguments: [String], _ named: String) async throws {
        try await OwnThread.run { try Self.badFlagsAreUsageErrorsBody(arguments, named) }
    }

    /// On a thread of its own: waiting for processes must not hold the test runner's cooperative threads.
    static func badFlagsAreUsageErrorsBody(_ arguments: [String], _ named: String) throws {
        let out = try Self.run(arguments, in: try TemporaryDirectory.make())
        #expect(out.status == 2)
        #expect(out.stderr.contains(named), "\(out.stderr)")
    }
}
