import Foundation
import SciLearnTestSupport
import Testing
@testable import SciLearnService

/// The task reference in Docs/contract.md is generated from the task table, so it cannot drift:
/// this test renders it and compares. `SCILEARN_UPDATE_DOCS=1 swift test --filter TaskDocs`
/// rewrites the generated block after a declaration changes.
@Suite struct TaskDocsTests {
    static let begin = "<!-- BEGIN GENERATED from the task table: SCILEARN_UPDATE_DOCS=1 swift test --filter TaskDocs -->"
    static let end = "<!-- END GENERATED -->"

    static func render() -> String {
        var out = [begin, ""]
        for task in TaskTable.all {
            out.append("#### `\(task.name)`")
            out.append("")
            out.append(task.summary)
            out.append("")
            if task.params.isEmpty {
                out.append("params: none.")
            } else {
                out.append("| param | type | default | rule | meaning |")
                out.append("| --- | --- | --- | --- | --- |")
                for p in task.params {
                    out.append("| `\(p.key)` | \(p.type.replacingOccurrences(of: "|", with: "\\|")) | \(p.defaultText.map { "`\($0)`" } ?? "required") | \(p.constraint ?? "") | \(p.doc) |")
                }
            }
            out.append("")
            if task.data.isEmpty {
                out.append("data: none (`data` absent, null or `{}`).")
            } else {
                out.append("| data field | shape | required | meaning |")
                out.append("| --- | --- | --- | --- |")
                for d in task.data {
                    out.append("| `\(d.key)` | \(d.shape.rawValue) | \(d.required ? "yes" : "no") | \(d.doc) |")
                }
            }
            if let use = task.model {
                out.append("")
                out.append("Its result is a model for `\(use.verb.rawValue)`.")
            }
            out.append("")
        }
        out.append(end)
        return out.joined(separator: "\n")
    }

    @Test func contractDocumentsEveryDeclaredTask() throws {
        let url = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Docs/contract.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let rendered = Self.render()
        guard let a = text.range(of: Self.begin), let b = text.range(of: Self.end), a.lowerBound < b.lowerBound else {
            Issue.record("Docs/contract.md has no generated task block")
            return
        }
        let current = String(text[a.lowerBound..<b.upperBound])
        if current != rendered, ProcessInfo.processInfo.environment["SCILEARN_UPDATE_DOCS"] == "1" {
            try text.replacingCharacters(in: a.lowerBound..<b.upperBound, with: rendered).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == rendered, "Docs/contract.md's task tables differ from the task table; regenerate them (see the block's first line)")
    }
}
