import SciLearnService

/// The ``DataSource`` of the CLI, `serve`, `worker` and the Lambda function: `file://`
/// references under the operator's ``FileRoot``s (`--data-root`, `SCILEARN_DATA_ROOTS`) and
/// `s3://` references in its ``S3Bucket``s (`--data-bucket`, `SCILEARN_DATA_BUCKETS`); results
/// by reference only under the separate output roots and buckets (`--output-root`,
/// `--output-bucket`, `SCILEARN_OUTPUT_ROOTS`, `SCILEARN_OUTPUT_BUCKETS`), so that a request can
/// never overwrite the data it may read. No other scheme is followed, and nothing is allowed
/// when nothing is configured.
///
/// A gzip-compressed file (recognised by its first two bytes, whatever its name) is inflated as
/// it is read.
public struct DataReferenceSource: DataSource {
    /// The folders references may be read under.
    public let roots: [FileRoot]
    /// The buckets (or prefixes) references may be read from.
    public let buckets: [S3Bucket]
    /// The folders results may be written to.
    public let outputRoots: [FileRoot]
    /// The buckets (or prefixes) results may be written to.
    public let outputBuckets: [S3Bucket]
    /// The S3 client (nil when no bucket is allowed).
    public let s3: S3Client?

    /// A source allowing `roots` and `buckets` to be read, `outputRoots` and `outputBuckets` to
    /// be written (S3 through `s3`).
    public init(roots: [FileRoot] = [], buckets: [S3Bucket] = [], outputRoots: [FileRoot] = [], outputBuckets: [S3Bucket] = [], s3: S3Client? = nil) {
        self.roots = roots
        self.buckets = buckets
        self.outputRoots = outputRoots
        self.outputBuckets = outputBuckets
        self.s3 = s3
    }

    /// The source for these folders (each must exist) and buckets (`BUCKET[/PREFIX]`), the S3
    /// client configured from `environment` when a bucket is given.
    /// - Throws: naming the first folder, bucket or AWS setting that is wrong.
    public init(rootPaths: [String], buckets bucketTexts: [String] = [], outputRootPaths: [String] = [], outputBuckets outputTexts: [String] = [],
                environment: [String: String] = [:]) throws(DataSourceError) {
        var roots: [FileRoot] = [], outputRoots: [FileRoot] = []
        for path in rootPaths { roots.append(try FileRoot(path)) }
        for path in outputRootPaths { outputRoots.append(try FileRoot(path, purpose: .output)) }
        var buckets: [S3Bucket] = [], outputBuckets: [S3Bucket] = []
        for text in bucketTexts { buckets.append(try S3Bucket(text)) }
        for text in outputTexts { outputBuckets.append(try S3Bucket(text)) }
        let s3 = buckets.isEmpty && outputBuckets.isEmpty ? nil : try S3Client.fromEnvironment(environment)
        self.init(roots: roots, buckets: buckets, outputRoots: outputRoots, outputBuckets: outputBuckets, s3: s3)
    }

    public func checkOutput(_ url: String) throws(DataSourceError) {
        _ = try outputPlace(url)
    }

    public func write(_ bytes: [UInt8], to url: String, contentType: String) throws(DataSourceError) {
        guard let slash = url.lastIndex(of: "/") else { throw DataSourceError("is not a file in an output location") }
        let folder = String(url[...slash]), name = String(url[url.index(after: slash)...])
        guard !name.isEmpty, name != ".", name != "..", !name.contains("\0") else { throw DataSourceError("'\(name)' is not a file name") }
        switch try outputPlace(folder) {
        case .folder(let path): try FileByteSource.write(bytes, folder: path, name: name, roots: outputRoots)
        case .s3(let bucket, let prefix):
            guard let s3 else { throw DataSourceError("no S3 bucket is allowed here") }
            try s3.put(bucket: bucket, key: prefix + name, body: bytes, contentType: contentType)
        }
    }

    enum OutputPlace { case folder(String), s3(bucket: String, prefix: String) }

    /// The real folder, or the bucket and key prefix, that an output URL names, if allowed.
    func outputPlace(_ url: String) throws(DataSourceError) -> OutputPlace {
        let scheme = url.firstIndex(of: ":").map { url[..<$0].lowercased() } ?? ""
        switch scheme {
        case "file":
            let path = try FileRoot.resolve(url, roots: outputRoots, purpose: .output)
            guard FileByteSource.isFolder(path) else { throw DataSourceError("is not a folder") }
            return .folder(path)
        case "s3":
            let (bucket, key) = try S3Bucket.resolve(url, buckets: outputBuckets, prefixOnly: true, purpose: .output)
            return .s3(bucket: bucket, prefix: key)
        default:
            throw DataSourceError("the scheme \(scheme.isEmpty ? "(none)" : "\"\(scheme)\"") is not followed: an output location is file:///DIR/ or s3://BUCKET/PREFIX/")
        }
    }

    public func open(_ url: String, format: DataFormat) throws(DataSourceError) -> any DataTable {
        let scheme = url.firstIndex(of: ":").map { url[..<$0].lowercased() } ?? ""
        let raw: ByteSource
        let length: Int?
        switch scheme {
        case "file":
            let file = try FileByteSource(path: try FileRoot.resolve(url, roots: roots), roots: roots)
            (raw, length) = (file, file.size)
        case "s3":
            let (bucket, key) = try S3Bucket.resolve(url, buckets: buckets)
            guard let s3 else { throw DataSourceError("no S3 bucket is allowed here (the operator allows one with \(ReferencePurpose.data.bucketFlag))") }
            let object = try s3.get(bucket: bucket, key: key)
            (raw, length) = (object, object.length)
        default:
            throw DataSourceError("the scheme \(scheme.isEmpty ? "(none)" : "\"\(scheme)\"") is not followed: a reference is file:///ABSOLUTE/PATH or s3://BUCKET/KEY")
        }
        let (source, size) = try PrefixedByteSource.decompressing(raw, length: length)
        switch format {
        case .csv:
            // A local file that is not compressed is parsed from memory, on the engine's threads.
            let mappable = size != nil ? raw as? FileByteSource : nil
            return try CSVTable(source: source, file: mappable)
        case .npy:
            // A local file that is not compressed is read in pieces, on the engine's threads.
            return try NPYTable(source: source, fileSize: size, file: size != nil ? raw as? FileByteSource : nil)
        }
    }
}
