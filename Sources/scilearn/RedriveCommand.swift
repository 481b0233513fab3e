import ArgumentParser
import SciLearnQueue

/// `scilearn redrive`: moves dead letters back to the queue (SQS's DLQ redrive).
struct RedriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redrive",
        abstract: "Move dead-lettered jobs back to the queue, oldest first, with their receive counts reset."
    )

    @OptionGroup var queueOptions: QueueOptions

    @Option(help: "Move at most this many. Default: all.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be >= 1, not \(limit)") }
    }

    func run() async throws {
        let moved = try await queueOptions.open().queue.redrive(limit: limit)
        print("redrive: moved \(moved) dead letter\(moved == 1 ? "" : "s") back to \(queueOptions.queue)")
    }
}
