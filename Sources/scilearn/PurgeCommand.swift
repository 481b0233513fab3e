import ArgumentParser
import SciLearnBackends
import SciLearnQueue

/// `scilearn purge --yes`: deletes every message and dead letter of an embedded queue
/// (records stay).
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete every queued and dead-lettered message (success and failure records stay)."
    )

    @OptionGroup var queueOptions: QueueOptions

    @Flag(help: "Confirm: the messages cannot be recovered.")
    var yes = false

    func validate() throws {
        guard yes else { throw ValidationError("purge deletes every message of \(queueOptions.queue); confirm with --yes") }
    }

    func run() async throws {
        let n: Int
        do {
            n = try await queueOptions.open().purge()
        } catch let e as QueueError where e.kind == .invalidArgument {
            throw ValidationError(e.message)
        }
        print("purge: deleted \(n) message\(n == 1 ? "" : "s") from \(queueOptions.queue)")
    }
}
