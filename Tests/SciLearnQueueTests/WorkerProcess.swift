import Foundation
import Testing

/// A `scilearn worker` process (the binary `swift build` made), its log in a file.
final class WorkerProcess: @unchecked Sendable {
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/scilearn")

    let process = Process()
    let log: URL

    init(queue: String, runLog: URL, extra: [String] = [], directory: URL, name: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the scilearn binary first (swift build)")
        log = directory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.executableURL = Self.binary
        process.arguments = ["worker", "--queue", queue, "--concurrency", "2", "--run-log", runLog.path, "--log-level", "error"] + extra
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func kill9() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then the exit status within `seconds` (nil: still running, then killed).
    func terminate(within seconds: Double = 20) -> Int32? {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            kill9()
            return nil
        }
        return process.terminationStatus
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Runs per job id in a run log.
    static func runs(in runLog: URL) throws -> [String: Int] {
        let text = try String(contentsOf: runLog, encoding: .utf8)
        var runs: [String: Int] = [:]
        for line in text.split(separator: "\n") { runs[String(line), default: 0] += 1 }
        return runs
    }
}
