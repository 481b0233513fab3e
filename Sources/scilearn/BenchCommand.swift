import ArgumentParser

/// `scilearn bench`: the benchmark suite's tools that belong with the binary (the cost model, the
/// table reader's timing).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark tools: the sync-versus-async cost model, and the time to read a table by reference.",
        subcommands: [CostCommand.self, ReadCommand.self]
    )
}
