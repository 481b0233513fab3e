import ArgumentParser
import Foundation
import SciLearnData
import SciLearnService

/// Where requests may read data by reference (CONTRACT.md, "Data and results by reference"):
/// the flags of `run`, `serve` and `worker`. Nothing is allowed by default.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data-root"), help: "A local folder whose files requests may name by reference (file:///PATH under it); repeat for more. Default: none (references are refused).")
    var dataRoots: [String] = []

    @Option(name: .customLong("data-bucket"), help: "An S3 bucket, or BUCKET/PREFIX, whose objects requests may name by reference (s3://BUCKET/KEY); repeat for more. Credentials, region and AWS_ENDPOINT_URL_S3 from the environment. Default: none.")
    var dataBuckets: [String] = []

    @Option(name: .customLong("output-root"), help: "A local folder requests may have their results written to (\"output\": {\"url\": \"file:///DIR/\"}); repeat for more. Default: none.")
    var outputRoots: [String] = []

    @Option(name: .customLong("output-bucket"), help: "An S3 bucket, or BUCKET/PREFIX, requests may have their results written to (s3://BUCKET/PREFIX/); repeat for more. Default: none.")
    var outputBuckets: [String] = []

    /// The source of data given by reference (each `--data-root` must exist, each
    /// `--data-bucket` be a bucket name, and AWS credentials be set when a bucket is given); nil
    /// when neither flag is given.
    func dataSource() throws -> DataReferenceSource? {
        if dataRoots.isEmpty && dataBuckets.isEmpty && outputRoots.isEmpty && outputBuckets.isEmpty { return nil }
        do throws(DataSourceError) {
            return try DataReferenceSource(rootPaths: dataRoots, buckets: dataBuckets, outputRootPaths: outputRoots, outputBuckets: outputBuckets,
                                           environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("--data-root / --data-bucket / --output-root / --output-bucket: \(error.message)")
        }
    }
}
