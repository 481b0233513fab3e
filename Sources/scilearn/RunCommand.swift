import ArgumentParser
import Foundation
import SciLearnService

/// `scilearn run FILE|-`: runs one request and prints the response JSON on stdout.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one job: read a request (JSON) from FILE or '-' for stdin, print the response.",
        discussion: "Exit status: 0 when the response is ok, 1 when it is an error response, 2 on a usage error."
    )

    @Argument(help: "The request file, or '-' to read standard input.")
    var file: String

    @OptionGroup var limitOptions: LimitOptions
    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        let body = try InputFile.read(file)
        let service = SciLearnService(limits: limitOptions.limits, dataSource: try dataOptions.dataSource())
        let response = service.run(body: body)
        print(response.json)
        if response.errorCode != nil { throw ExitCode(1) }
    }
}
