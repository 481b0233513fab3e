import ArgumentParser
import SciLearnData
import SciLearnService

/// Where requests may read data by reference (CONTRACT.md, "Data and results by reference"):
/// the flags of `run`, `serve` and `worker`. Nothing is allowed by default.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data-root"), help: "A local folder whose files requests may name by reference (file:///PATH under it); repeat for more. Default: none (references are refused).")
    var dataRoots: [String] = []

    /// The source of data given by reference (each `--data-root` must exist); nil when none is given.
    func dataSource() throws -> LocalDataSource? {
        if dataRoots.isEmpty { return nil }
        do throws(DataSourceError) {
            return try LocalDataSource(rootPaths: dataRoots)
        } catch {
            throw ValidationError("--data-root: \(error.message)")
        }
    }
}
