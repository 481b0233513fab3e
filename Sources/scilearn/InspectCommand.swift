import ArgumentParser
import SciLearnQueue
import SciLearnService

/// `scilearn inspect`: the queue's depth by state, as JSON.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the queue's depth: visible, in flight and dead-lettered messages (JSON)."
    )

    @OptionGroup var queueOptions: QueueOptions

    func run() async throws {
        let d = try await queueOptions.open().queue.depth()
        let doc: JSONValue = .object([
            "queue": .string(queueOptions.queue),
            "visible": .number(Double(d.visible)),
            "in_flight": .number(Double(d.inFlight)),
            "dead_lettered": .number(Double(d.deadLettered)),
        ])
        print(doc.jsonText)
    }
}
