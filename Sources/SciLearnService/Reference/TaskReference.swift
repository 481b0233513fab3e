import Foundation
import SciLearn

/// The task reference generated from ``TaskTable``: the per-task tables of `Docs/contract.md`
/// (params with their engine rules, data fields, result fields with when each can be null) and
/// the task schemas of `Docs/openapi.yaml` (the task enum, each task's params and result). Both
/// documents hold the generated text between marker lines; `scilearn docs --write` rewrites it,
/// and a test fails when the committed text is stale.
public enum TaskReference {
    /// The one command that regenerates the blocks.
    public static let command = "swift run scilearn docs --write"

    static let markdownBegin = "<!-- BEGIN GENERATED from the task table: \(command) -->"
    static let markdownEnd = "<!-- END GENERATED -->"
    static let yamlBegin = "    # BEGIN GENERATED from the task table: \(command)"
    static let yamlEnd = "    # END GENERATED"

    /// `contract.md`'s generated block, markers included.
    public static func markdown() -> String {
        var out = [markdownBegin, ""]
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
                    out.append("| `\(p.key)` | \(cell(p.type)) | \(p.defaultText.map { "`\($0)`" } ?? "required") | \(p.constraint ?? "") | \(cell(p.doc)) |")
                }
            }
            out.append("")
            if task.data.isEmpty {
                out.append("data: none (`data` absent, null or `{}`).")
            } else {
                out.append("| data field | shape | required | meaning |")
                out.append("| --- | --- | --- | --- |")
                for d in task.data {
                    out.append("| `\(d.key)` | \(d.shape.rawValue) | \(d.required ? "yes" : "no") | \(cell(d.doc)) |")
                }
            }
            out.append("")
            out.append("| result field | type | null | present | meaning |")
            out.append("| --- | --- | --- | --- | --- |")
            for f in task.result {
                out.append("| `\(f.key)` | \(f.shape.rawValue) | \(f.nullable ? "may be, with a warning" : "never") | \(f.presentWhen.map(cell) ?? "always") | \(cell(f.doc)) |")
            }
            if let use = task.model {
                out.append("")
                out.append("Its result is a model for `\(use.verb.rawValue)`.")
            }
            out.append("")
        }
        out.append(markdownEnd)
        return out.joined(separator: "\n")
    }

    private static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    /// `openapi.yaml`'s generated block (under `components.schemas`), markers included:
    /// `TaskName`, and for each task `<Task>Params` and `<Task>Result`.
    public static func openAPISchemas() -> String {
        var out = [yamlBegin]
        out.append("    TaskName:")
        out.append("      type: string")
        out.append("      enum: [\(TaskTable.names.joined(separator: ", "))]")
        for task in TaskTable.all {
            let name = schemaName(task.name)
            out.append("    \(name)Params:")
            out.append("      description: \(quoted("The params of `\(task.name)`: \(task.summary)"))")
            out.append("      type: object")
            out.append("      additionalProperties: false")
            let required = task.params.filter { $0.defaultText == nil }.map(\.key)
            if !required.isEmpty { out.append("      required: [\(required.joined(separator: ", "))]") }
            if task.params.isEmpty {
                out.append("      properties: {}")
            } else {
                out.append("      properties:")
                for p in task.params {
                    out.append("        \(p.key):")
                    out += paramSchema(p).map { "          " + $0 }
                    if let d = p.defaultText { out.append("          default: \(d)") }
                    out.append("          description: \(quoted(p.doc + (p.constraint.map { " (\($0))" } ?? "")))")
                }
            }
            out.append("    \(name)Result:")
            out.append("      description: \(quoted("The result of `\(task.name)`; a null always comes with a warning naming its field."))")
            out.append("      type: object")
            out.append("      additionalProperties: false")
            let always = task.result.filter { $0.presentWhen == nil }.map(\.key)
            out.append("      required: [\(always.joined(separator: ", "))]")
            out.append("      properties:")
            for f in task.result {
                out.append("        \(f.key):")
                out += resultSchema(f).map { "          " + $0 }
                out.append("          description: \(quoted(f.doc + (f.presentWhen.map { " Present when \($0)." } ?? "")))")
            }
        }
        out.append(yamlEnd)
        return out.joined(separator: "\n")
    }

    /// `linear_regression` → `LinearRegression`.
    static func schemaName(_ task: String) -> String {
        task.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A JSON string, which YAML reads as a double-quoted scalar.
    static func quoted(_ s: String) -> String { JSONValue.string(s).jsonText }

    static func bounds(_ rule: ParameterRule?) -> [String] {
        guard let rule else { return [] }
        var out: [String] = []
        switch rule.lower {
        case .inclusive(let v)?: out.append("minimum: \(JSONWriter.number(v))")
        case .exclusive(let v)?: out.append("exclusiveMinimum: \(JSONWriter.number(v))")
        case nil: break
        }
        switch rule.upper {
        case .inclusive(let v)?: out.append("maximum: \(JSONWriter.number(v))")
        case .exclusive(let v)?: out.append("exclusiveMaximum: \(JSONWriter.number(v))")
        case nil: break
        }
        return out
    }

    static func paramSchema(_ p: ParamInfo) -> [String] {
        let names: ([String]) -> String = { "[" + $0.map { JSONValue.string($0).jsonText }.joined(separator: ", ") + "]" }
        switch p.kind {
        case .boolean: return ["type: boolean"]
        case .number: return ["type: number"] + bounds(p.rule)
        case .optionalNumber: return ["type: [number, \"null\"]"] + bounds(p.rule)
        case .falseOrNumber: return ["oneOf:", "  - const: false", "  - type: number"] + bounds(p.rule).map { "    " + $0 }
        case .integer: return ["type: integer"] + bounds(p.rule)
        case .optionalInteger: return ["type: [integer, \"null\"]"] + bounds(p.rule)
        case .numbers: return ["type: array", "minItems: 1", "items:", "  type: number"] + bounds(p.rule).map { "  " + $0 }
        case .object: return ["type: object"]
        case .componentCount:
            return ["oneOf:", "  - type: integer", "    minimum: 1", "  - type: number", "    exclusiveMinimum: 0", "    exclusiveMaximum: 1",
                    "  - type: \"null\""]
        case .choice(let n, let nullable):
            let list = n.map { JSONValue.string($0).jsonText } + (nullable ? ["null"] : [])
            return ["enum: [\(list.joined(separator: ", "))]"]
        case .choiceOrMatrix(let n):
            return ["oneOf:", "  - enum: \(names(n))", "  - type: array", "    items:", "      type: array", "      items:", "        type: number"]
        case .choiceOrInteger(let n):
            return ["oneOf:", "  - enum: \(names(n))", "  - type: integer"] + bounds(p.rule).map { "    " + $0 }
        }
    }

    static func resultSchema(_ f: ResultFieldInfo) -> [String] {
        let leaf = f.nullable ? "[number, \"null\"]" : "number"
        switch f.shape {
        case .number: return ["type: \(leaf)"]
        case .integer: return ["type: integer"]
        case .boolean: return ["type: boolean"]
        case .string: return ["type: string"]
        case .numbers: return ["type: array", "items:", "  type: \(leaf)"]
        case .integers: return ["type: array", "items:", "  type: integer"]
        case .strings: return ["type: array", "items:", "  type: string"]
        case .booleans: return ["type: array", "items:", "  type: boolean"]
        case .numberRows: return ["type: array", "items:", "  type: array", "  items:", "    type: \(leaf)"]
        case .labels: return ["type: array", "items:", "  type: [number, string\(f.nullable ? ", \"null\"" : "")]"]
        }
    }

    /// `text` with the block between `begin` and `end` (markers included) replaced by
    /// `block`; nil when the markers are missing.
    static func replacing(in text: String, begin: String, end: String, with block: String) -> String? {
        guard let a = text.range(of: begin), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return text.replacingCharacters(in: a.lowerBound..<b.upperBound, with: block)
    }

    /// The generated block currently in `text`, markers included.
    static func block(in text: String, begin: String, end: String) -> String? {
        guard let a = text.range(of: begin), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return String(text[a.lowerBound..<b.upperBound])
    }

    /// The documents under `docs` (the `Docs` folder) with their generated blocks brought up to
    /// date: `(path, new text, changed)` for `contract.md` and `openapi.yaml`.
    ///
    /// - Throws: when a document cannot be read or lacks its markers.
    public static func regenerate(docs: URL) throws -> [(path: URL, text: String, changed: Bool)] {
        let pairs: [(String, String, String, String)] = [
            ("contract.md", markdownBegin, markdownEnd, markdown()),
            ("openapi.yaml", yamlBegin, yamlEnd, openAPISchemas()),
        ]
        return try pairs.map { file, begin, end, block in
            let url = docs.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            guard let updated = replacing(in: text, begin: begin, end: end, with: block) else {
                throw ServiceError(.internal, "\(url.path) has no generated block (a line starting \"\(begin.trimmingCharacters(in: .whitespaces).prefix(40))\")")
            }
            return (url, updated, updated != text)
        }
    }
}
