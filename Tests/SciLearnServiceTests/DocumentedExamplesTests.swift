import Foundation
import Testing
@testable import SciLearnService
import SciLearnTestSupport

/// Every request in Docs/examples/ gives its documented response (`NAME.response.json`, generated
/// from the references) through the `scilearn run` binary; through the service, the same is the
/// conformance suite's first check (`TaskConformanceTests`).
@Suite(.ownThread(.computing)) struct DocumentedExamplesTests {
    static let examples = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Docs/examples")

    static func requests() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: examples, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" && !$0.lastPathComponent.hasSuffix(".response.json") }
            .sorted { $0.path < $1.path }
    }

    /// The response matches the documented one (generated from the references by
    /// Tests/Fixtures/generate.py): envelope exactly, result fields at their tolerances.
    static func same(_ got: Any, _ want: Any, _ path: String) {
        let g = got as! [String: Any], w = want as! [String: Any]
        for key in ["id", "task", "status"] { #expect(g[key] as? String == w[key] as? String, "\(path).\(key)") }
        #expect(g["warnings"] as? [String] == w["warnings"] as? [String], "\(path).warnings")
        for d in ReferenceTolerance.differences(g["result"] as! [String: Any], w["result"] as! [String: Any], path: path, tolerances: ReferenceTolerance.example(g["task"] as? String ?? "")) {
            Issue.record(Comment(rawValue: d))
        }
    }

    /// The CLI itself: `scilearn run FILE` prints the documented response and exits 0; a bad
    /// request exits 1 with an error response; a missing file exits 2.
    @Test func cliRunsTheExamples() async throws {
        try await OwnThread.run { try Self.cliRunsTheExamplesBody() }
    }

    /// On a thread of its own: waiting for processes must not hold the test runner's cooperative threads.
    static func cliRunsTheExamplesBody() throws {
        let binary = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/scilearn")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the scilearn binary first (swift build)")
        func run(_ args: [String], stdin: Data? = nil) throws -> (Int32, Data) {
            let p = Process()
            p.executableURL = binary
            p.arguments = args
            let out = Pipe(), input = Pipe()
            p.standardOutput = out
            p.standardError = Pipe()
            p.standardInput = input
            try p.run()
            if let stdin { input.fileHandleForWriting.write(stdin) }
            try input.fileHandleForWriting.close()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, data)
        }
        for url in try Self.requests() {
            let (status, out) = try run(["run", url.path])
            #expect(status == 0)
            let documented = try JSONSerialization.jsonObject(with: Data(contentsOf: url.deletingPathExtension().appendingPathExtension("response.json")))
            Self.same(try JSONSerialization.jsonObject(with: out), documented, "cli " + url.lastPathComponent)
        }
        let (bad, badOut) = try run(["run", "-"], stdin: Data(#"{"task":"nope"}"#.utf8))
        #expect(bad == 1)
        #expect(String(decoding: badOut, as: UTF8.self).contains("unknown_task"))
        #expect(try run(["run", "/nonexistent/request.json"]).0 == 2)
        #expect(try run(["frobnicate"]).0 == 2)
    }
}
