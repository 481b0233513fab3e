import Foundation
import Testing
@testable import SciLearnService
import SciLearnTestSupport

/// Every request in Docs/examples/ gives its documented response (`NAME.response.json`), through
/// the service and through the `scilearn run` binary; `elapsed_ms` aside, numbers at 1e-12.
@Suite struct DocumentedExamplesTests {
    static let examples = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Docs/examples")

    static func requests() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: examples, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" && !$0.lastPathComponent.hasSuffix(".response.json") }
            .sorted { $0.path < $1.path }
    }

    static func same(_ got: Any, _ want: Any, _ path: String) {
        for d in JSONComparison.differences(got, want, path: path, relativeTolerance: 1e-12, ignoring: ["elapsed_ms"]) {
            Issue.record(Comment(rawValue: d))
        }
    }

    @Test func serviceGivesTheDocumentedResponses() throws {
        let requests = try Self.requests()
        #expect(requests.count >= 2)
        for url in requests {
            let documented = try JSONSerialization.jsonObject(with: Data(contentsOf: url.deletingPathExtension().appendingPathExtension("response.json")))
            let response = SciLearnService().run(body: try Data(contentsOf: url))
            let got = try JSONSerialization.jsonObject(with: Data(response.json.utf8))
            Self.same(got, documented, url.lastPathComponent)
        }
    }

    /// The CLI itself: `scilearn run FILE` prints the documented response and exits 0; a bad
    /// request exits 1 with an error response; a missing file exits 2.
    @Test func cliRunsTheExamples() throws {
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
