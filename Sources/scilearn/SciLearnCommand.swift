import ArgumentParser
import Foundation

/// `scilearn`: the command-line front end. Exit status 0 for an ok response, 1 for an error
/// response, 2 for a usage error (bad flags, unreadable file).
@main
struct SciLearnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scilearn",
        abstract: "scikit-learn / scipy.stats / statsmodels-grade analytics on BLAS/LAPACK.",
        subcommands: [
            RunCommand.self, ServeCommand.self, WorkerCommand.self, SubmitCommand.self, StatusCommand.self,
            RedriveCommand.self, InspectCommand.self, PurgeCommand.self, DocsCommand.self, BenchCommand.self,
        ]
    )

    static func main() async {
        AllocatorTuning.apply()
        if let api = ProcessInfo.processInfo.environment["AWS_LAMBDA_RUNTIME_API"], !api.isEmpty {
            Foundation.exit(await LambdaEntry.run(api: api, environment: ProcessInfo.processInfo.environment))
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            // Usage errors are 2 (the contract's CLI rule), whatever ArgumentParser would pick.
            Foundation.exit(2)
        }
    }
}
