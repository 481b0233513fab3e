import Foundation
import Hummingbird
import HummingbirdTesting
import SciLearnService
import Testing
import SciLearnTestSupport
import Yams
@testable import SciLearnHTTP

/// `Docs/openapi.yaml` against the code: the same paths and methods as the router, the same
/// statuses as the contract's table, the same code and task enums, and its example answered as
/// documented. (Scripts/fuzz-http checks live responses against it.)
@Suite(.ownThread(.computing)) struct OpenAPIDocumentTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Docs/openapi.yaml")

    static func document() throws -> [String: Any] {
        let text = try String(contentsOf: path, encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func lookup(_ object: Any?, _ keys: String...) -> Any? {
        keys.reduce(object) { ($0 as? [String: Any])?[$1] }
    }

    @Test func pathsAndMethodsAreTheRouters() throws {
        let doc = try Self.document()
        #expect((doc["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(doc["paths"] as? [String: Any])
        #expect(Set(paths.keys) == Set(Routes.methods(async: true).keys))
        for (path, methods) in Routes.methods(async: true) {
            let documented = Set(((paths[path] as? [String: Any]) ?? [:]).keys)
            let served = Set(methods.filter { $0 != .head }.map { $0.rawValue.lowercased() })
            #expect(documented == served, "\(path)")
        }
    }

    @Test func enumsAreTheCodes() throws {
        let doc = try Self.document()
        let codes = Self.lookup(doc, "components", "schemas", "ErrorCode", "enum") as? [String]
        #expect(codes == ErrorCode.allCases.map(\.rawValue))
        let tasks = Self.lookup(doc, "components", "schemas", "TaskName", "enum") as? [String]
        #expect(tasks == TaskName.allCases.map(\.rawValue))
    }

    /// Every status POST /v1/run can answer is documented, and nothing else.
    @Test func runStatusesAreTheTables() throws {
        let doc = try Self.document()
        let responses = try #require(Self.lookup(doc, "paths", "/v1/run", "post", "responses") as? [String: Any])
        // 404/405 concern other paths; bad_request shares 400 with the service's codes.
        let transportOnly: Set<ErrorCode> = [.notFound, .methodNotAllowed]
        let expected = Set(ErrorCode.allCases.filter { !transportOnly.contains($0) }.map { String($0.httpStatus) } + ["200"])
        #expect(Set(responses.keys) == expected)
    }

    @Test func documentedExampleRunsAsDocumented() async throws {
        let doc = try Self.document()
        let example = try #require(Self.lookup(doc, "paths", "/v1/run", "post", "requestBody", "content", "application/json", "examples", "linear_regression", "value"))
        let body = try JSONSerialization.data(withJSONObject: example)
        let required = try #require(Self.lookup(doc, "components", "schemas", "JobSuccess", "required") as? [String])
        let app = buildApplication(HTTPTestData.configuration(), logger: HTTPTestData.quietLogger)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/run", method: .post, body: ByteBuffer(bytes: body))
            #expect(response.status == .ok)
            let json = try HTTPTestData.json(response.body)
            #expect(Set(json.keys) == Set(required))
            #expect(json["id"] as? String == "ab-test-revenue-001")
        }
    }
}
