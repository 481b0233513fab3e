import Foundation
import SciLearnTestSupport
import Testing
@testable import SciLearnBench

/// `scilearn bench cost` as a process: its JSON is the model's own arithmetic on the flags, and
/// each bad flag is a usage error (exit 2) naming it.
@Suite(.ownThread(.waiting)) struct CostCommandTests {
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/scilearn")

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the scilearn binary first (swift build)")
        let p = Process()
        p.executableURL = binary
        p.arguments = ["bench", "cost"] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func theCommandPrintsTheModelsBreakEven() async throws {
        try await OwnThread.run {
            let flags = ["--cpu-seconds", "0.01", "--wall-seconds", "0.01", "--peak-mib", "10", "--request-bytes", "1000",
                         "--result-bytes", "1000", "--minimum-instances", "1", "--batch-size", "1", "--cold-start-fraction", "0",
                         "--burstiness", "1,10"]
            let out = try Self.run(flags + ["--json"])
            #expect(out.status == 0, "\(out.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
            let rows = try #require(json["rows"] as? [[String: Any]])
            #expect(rows.count == 2)
            let job = JobProfile(name: "job", cpuSeconds: 0.01, wallSeconds: 0.01, peakMemoryMiB: 10, requestBytes: 1_000, resultBytes: 1_000)
            let model = CostModel(batchSize: 1, coldStartFraction: 0, minimumInstances: 1)
            for row in rows {
                let b = try #require(row["burstiness"] as? Double)
                let printed = try #require(row["breakEvenJobsPerHour"] as? Double)
                let expected = try #require(model.breakEven(job, burstiness: b))
                #expect(abs(printed - expected) <= 1e-9 * expected, "burstiness \(b): \(printed) vs \(expected)")
            }
            let table = try Self.run(flags)
            #expect(table.status == 0 && table.stdout.contains("| job | 1769 MB | 1× |") && table.stdout.contains("Monthly bills"), "\(table.stdout)")
        }
    }

    @Test(arguments: [
        (["--wall-seconds", "1"], "--measurements"),
        (["--cpu-seconds", "0", "--wall-seconds", "1"], "--cpu-seconds"),
        (["--cpu-seconds", "1", "--wall-seconds", "nan"], "--wall-seconds"),
        (["--cpu-seconds", "1", "--wall-seconds", "1", "--target-utilisation", "70"], "--target-utilisation"),
        (["--cpu-seconds", "1", "--wall-seconds", "1", "--instance-vcpus", "0"], "--instance-vcpus"),
        (["--cpu-seconds", "1", "--wall-seconds", "1", "--instance-memory", "0"], "--instance-memory"),
        (["--cpu-seconds", "1", "--wall-seconds", "1", "--burstiness", "0.5"], "--burstiness"),
        (["--cpu-seconds", "1", "--wall-seconds", "1", "--batch-size", "0"], "--batch-size"),
        (["--cpu-seconds", "1", "--wall-seconds", "1", "--cold-start-fraction", "2"], "--cold-start-fraction"),
        (["--cpu-seconds", "1", "--wall-seconds", "1", "--sqs-request", "-1"], "--sqs-request"),
        (["--measurements", "/nonexistent/costs-input.json"], "--measurements"),
    ])
    func badFlagsAreNamed(_ arguments: [String], _ flag: String) async throws {
        try await OwnThread.run {
            let out = try Self.run(arguments)
            #expect(out.status == 2 || (flag == "--measurements" && out.status != 0), "\(arguments): exit \(out.status)")
            #expect(out.stderr.contains(flag), "\(arguments): \(out.stderr)")
        }
    }
}
