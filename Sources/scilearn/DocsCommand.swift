import ArgumentParser
import Foundation
import SciLearnService

/// `scilearn docs`: regenerates the task reference in `Docs/contract.md` and the task schemas in
/// `Docs/openapi.yaml` from the task table (the blocks between their generated markers).
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Regenerate the task tables of Docs/contract.md and the task schemas of Docs/openapi.yaml."
    )

    @Option(name: .customLong("docs"), help: "The Docs folder.")
    var docs = "Docs"

    @Flag(help: "Write the updated files (without it, exit 1 when any is stale).")
    var write = false

    func run() throws {
        let documents = try TaskReference.regenerate(docs: URL(fileURLWithPath: docs))
        var stale = false
        for d in documents where d.changed {
            if write {
                try d.text.write(to: d.path, atomically: true, encoding: .utf8)
                print("wrote \(d.path.path)")
            } else {
                print("stale: \(d.path.path)")
                stale = true
            }
        }
        if stale { throw ExitCode(1) }
    }
}
