import SciLearnService

/// The ``DataSource`` of the CLI, `serve`, `worker` and the Lambda function: `file://`
/// references under the operator's ``FileRoot``s (`--data-root`, `SCILEARN_DATA_ROOTS`). No
/// other scheme is followed; nothing is allowed when no root is configured.
public struct LocalDataSource: DataSource {
    /// The folders references may be read under.
    public let roots: [FileRoot]

    /// A source allowing `roots`.
    public init(roots: [FileRoot]) {
        self.roots = roots
    }

    /// The source for these root folders (each must exist).
    /// - Throws: naming the first folder that does not exist or is not a folder.
    public init(rootPaths: [String]) throws(DataSourceError) {
        var roots: [FileRoot] = []
        for path in rootPaths { roots.append(try FileRoot(path)) }
        self.init(roots: roots)
    }

    public func open(_ url: String, format: DataFormat) throws(DataSourceError) -> any DataTable {
        let scheme = url.firstIndex(of: ":").map { url[..<$0].lowercased() } ?? ""
        switch scheme {
        case "file":
            let path = try FileRoot.resolve(url, roots: roots)
            let file = try FileByteSource(path: path)
            switch format {
            case .csv: return try CSVTable(source: file)
            case .npy: return try NPYTable(source: file, fileSize: file.size)
            }
        case "s3":
            throw DataSourceError("s3:// references are not supported by this build yet; use a file:// reference under a data root")
        default:
            throw DataSourceError("the scheme \(scheme.isEmpty ? "(none)" : "\"\(scheme)\"") is not followed: a reference is file:///ABSOLUTE/PATH or s3://BUCKET/KEY")
        }
    }
}
