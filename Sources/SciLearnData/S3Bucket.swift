import SciLearnService

/// An S3 bucket, or a key prefix in one, under which `s3://` references may be read and results
/// written (`--data-bucket BUCKET[/PREFIX]`, `SCILEARN_DATA_BUCKETS`).
public struct S3Bucket: Sendable, Hashable {
    public let bucket: String
    /// A key prefix ending in `/`, or empty for the whole bucket.
    public let prefix: String

    /// `BUCKET` or `BUCKET/PREFIX` (an `s3://` in front is accepted).
    /// - Throws: when the bucket's name is not a valid S3 bucket name.
    public init(_ text: String) throws(DataSourceError) {
        var rest = Substring(text)
        if rest.hasPrefix("s3://") { rest = rest.dropFirst(5) }
        let slash = rest.firstIndex(of: "/")
        let name = String(slash.map { rest[..<$0] } ?? rest)
        guard Self.isValidName(name) else {
            throw DataSourceError("'\(name)' is not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)")
        }
        bucket = name
        var p = slash.map { String(rest[rest.index(after: $0)...]) } ?? ""
        if !p.isEmpty && !p.hasSuffix("/") { p += "/" }
        prefix = p
    }

    var display: String { "s3://\(bucket)/\(prefix)" }

    func allows(bucket b: String, key: String) -> Bool { b == bucket && key.hasPrefix(prefix) }

    static func isValidName(_ name: String) -> Bool {
        (3...63).contains(name.utf8.count) && name.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
        } && name.first != "-" && name.first != "." && name.last != "-" && name.last != "."
    }

    /// The bucket and key of `s3://BUCKET/KEY` (with `prefixOnly`, of `s3://BUCKET/PREFIX/`, the
    /// prefix possibly empty), allowed by one of `buckets`.
    /// - Throws: when the URL is malformed, its key has `.` or `..` segments (which some
    ///   S3-compatible servers would resolve), or no allowed bucket or prefix holds it.
    static func resolve(_ url: String, buckets: [S3Bucket], prefixOnly: Bool = false, purpose: ReferencePurpose = .data) throws(DataSourceError) -> (bucket: String, key: String) {
        guard url.hasPrefix("s3://") else { throw DataSourceError("not an s3:// URL") }
        let rest = url.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/"), prefixOnly || rest.index(after: slash) < rest.endIndex else {
            throw DataSourceError("an S3 reference is s3://BUCKET/KEY (a key is required)")
        }
        let bucket = String(rest[..<slash]), key = String(rest[rest.index(after: slash)...])
        guard isValidName(bucket) else { throw DataSourceError("'\(bucket)' is not an S3 bucket name") }
        guard !key.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else {
            throw DataSourceError("its key has a '.' or '..' segment; name the object by its plain key")
        }
        guard !buckets.isEmpty else {
            throw DataSourceError("no S3 bucket is allowed here (the operator allows one with \(purpose.bucketFlag) BUCKET[/PREFIX])")
        }
        guard buckets.contains(where: { $0.allows(bucket: bucket, key: key) }) else {
            throw DataSourceError("is not in an allowed bucket or prefix (\(buckets.map(\.display).joined(separator: ", ")))")
        }
        return (bucket, key)
    }
}
