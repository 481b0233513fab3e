import ArgumentParser
import Foundation
import SciLearn
import SciLearnData
import SciLearnService

/// `scilearn bench read`: reads one table by reference into the engine's column-major matrix,
/// exactly as a job's data field is read (the same source, roots and limits), and prints its
/// shape and the time it took (JSON). The CSV and `.npy` readers' benchmark
/// (`Benchmarks/data/read_bench.py`) times it against pandas and pyarrow; it also checks that a
/// file parses before a job names it.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read a CSV or .npy table by reference into a matrix and print its shape and the time taken (JSON)."
    )

    @Argument(help: "The table: file:///PATH under a --data-root, or s3://BUCKET/KEY under a --data-bucket.") var url: String
    @Option(help: "CSV: the columns to read, comma-separated (default: all).") var columns: String?
    @Option(help: "The format when the name does not say: csv or npy.") var format: String?
    @Option(name: .customLong("max-cells"), help: "The cell limit of a data field (as `run`'s).") var maxCells: Int = ServiceLimits().maxCells
    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        guard let source = try dataOptions.dataSource() else { throw ValidationError("name a --data-root or --data-bucket the table is under") }
        let lower = url.lowercased()
        let kind: DataFormat
        if let format {
            guard let f = DataFormat(rawValue: format) else { throw ValidationError("--format: csv or npy") }
            kind = f
        } else if lower.hasSuffix(".npy") || lower.hasSuffix(".npy.gz") {
            kind = .npy
        } else {
            kind = .csv
        }
        let clock = ContinuousClock()
        let start = clock.now
        do throws(DataSourceError) {
            let table = try source.open(url, format: kind)
            var indices: [Int]? = nil
            if let columns, case .columns(let names) = table.header {
                indices = try columns.split(separator: ",").map { (name: Substring) throws(DataSourceError) -> Int in
                    guard let j = names.firstIndex(of: String(name)) else { throw DataSourceError("has no column \"\(name)\"") }
                    return j
                }
                if let indices, Set(indices).count != indices.count { throw DataSourceError("--columns names a column twice") }
            }
            let (rows, values) = try table.read(columns: indices, maxCells: maxCells, isCancelled: { false })
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let doc: JSONValue = .object([
                "url": .string(url),
                "rows": .number(Double(rows)),
                "columns": .number(Double(rows == 0 ? 0 : values.count / rows)),
                "elapsed_ms": .number((seconds * 1e6).rounded() / 1e3),
                "cores": .number(Double(Parallelism.cores)),
            ])
            print(doc.jsonText)
        } catch {
            throw ValidationError("\(url): \(error.message)")
        }
    }
}
