import ArgumentParser
import Foundation
import SciLearnQueue

/// `scilearn status ID`: prints a job's status document (`{"id", "status", "attempts",
/// "response"}`); exit 1 when the id is unknown.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print the status of a queued job: queued, running, succeeded or failed, with its response.",
        discussion: "Exit status: 0 when the job is known, 1 when it is not, 2 on a usage error."
    )

    @OptionGroup var queueOptions: QueueOptions

    @Argument(help: "The job id (what submit printed).")
    var id: String

    func run() async throws {
        let backend = try queueOptions.open()
        guard let status = try await backend.status(of: id) else {
            if !backend.readsJobsBack {
                FileHandle.standardError.write(Data("status: job '\(id)' cannot be looked up: \(queueOptions.queue) is an SQS queue, which cannot be searched by id; its outcome is a record in the success or failure destination queue\n".utf8))
                throw ExitCode(1)
            }
            FileHandle.standardError.write(Data("status: no job '\(id)' in \(queueOptions.queue)\n".utf8))
            throw ExitCode(1)
        }
        print(status.jsonText)
    }
}
