import ArgumentParser
import Foundation
import SciLearnQueue
import SciLearnService

/// `scilearn submit FILE|-`: puts a request on the queue and prints its job id. The same id
/// again is the existing job: nothing is queued twice.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue one request (JSON) from FILE or '-' for stdin; print the job id.",
        discussion: "Exit status: 0 when queued (or already known: the existing job), 1 when the request is refused (the error response on stdout), 2 on a usage error."
    )

    @OptionGroup var queueOptions: QueueOptions

    @Argument(help: "The request file, or '-' to read standard input.")
    var file: String

    @OptionGroup var limitOptions: LimitOptions

    func run() async throws {
        let body = try InputFile.read(file)
        let backend = try queueOptions.open()
        do {
            let (status, created) = try await backend.submit(body, limits: limitOptions.limits)
            print(status.id)
            if !created {
                FileHandle.standardError.write(Data("submit: job \(status.id) already exists (\(status.state.rawValue)); not queued again\n".utf8))
            }
        } catch let e as ServiceError {
            print(JobResponse(id: nil, task: nil, outcome: .failure(e), elapsedMilliseconds: 0).json)
            throw ExitCode(1)
        }
    }
}
