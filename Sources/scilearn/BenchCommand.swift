import ArgumentParser

/// `scilearn bench`: the benchmark suite's tools that belong with the binary (the cost model).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark tools: the sync-versus-async cost model.",
        subcommands: [CostCommand.self]
    )
}
