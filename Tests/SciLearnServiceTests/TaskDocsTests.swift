import Foundation
import SciLearnTestSupport
import Testing
import SciLearn
@testable import SciLearnService

/// The task reference in Docs/contract.md and the task schemas in Docs/openapi.yaml are
/// generated from the task table (``TaskReference``), so they cannot drift: this test renders
/// them and fails when the committed text is stale. `swift run scilearn docs --write`
/// regenerates both.
@Suite(.ownThread(.computing)) struct TaskDocsTests {
    static let docs = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Docs")

    @Test func generatedBlocksAreCurrent() throws {
        for d in try TaskReference.regenerate(docs: Self.docs) {
            #expect(!d.changed, "\(d.path.lastPathComponent)'s generated block differs from the task table; run `\(TaskReference.command)`")
        }
    }

    /// Every task's documented example response (Docs/examples) has exactly the declared result
    /// fields, with nulls only where a field is declared nullable.
    @Test func examplesHaveTheDeclaredResultFields() throws {
        for task in TaskTable.all {
            let url = Self.docs.appendingPathComponent("examples/\(task.name).response.json")
            let response = try JSONParser.parse(Array(try Data(contentsOf: url)), maxDepth: 64)
            guard case .object(let o) = response, case .object(let result)? = o["result"] else {
                Issue.record("\(task.name): the example response has no result")
                continue
            }
            let warnings: [String] = {
                guard case .array(let a)? = o["warnings"] else { return [] }
                return a.compactMap { if case .string(let s) = $0 { s } else { nil } }
            }()
            #expect(throws: Never.self, "\(task.name)") {
                try TaskOutput.check(result, against: task.result, warnings: warnings, type: task.name)
            }
        }
    }

    /// A rule changed in the engine changes the service's message and the schema with it (the
    /// constraint is read, not restated).
    @Test func paramRulesComeFromTheEngine() throws {
        let tol = try #require(TaskTable.declaration(named: "elastic_net")?.params.first { $0.key == "tol" })
        #expect(tol.rule == SciLearn.ElasticNet.Rules.tol)
        #expect(tol.constraint == SciLearn.ElasticNet.Rules.tol.description)
        #expect(TaskReference.paramSchema(tol).contains("minimum: 0"))
        let r = SciLearnService().run(body: Array(#"{"task":"elastic_net","params":{"tol":-1},"data":{"X":[[1],[2]],"y":[1,2]}}"#.utf8))
        #expect(r.json.contains("params.tol: must be a finite number >= 0; got -1"))
    }
}
