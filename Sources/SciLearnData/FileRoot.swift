#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SciLearnService

/// A local folder under which `file://` references may be read (`--data-root DIR`,
/// `SCILEARN_DATA_ROOTS`). A reference is followed only when its path, with `.` and `..`
/// removed, lies under a root and so does the real path it resolves to (symbolic links
/// included), so that neither `..` nor a link can leave the root.
public struct FileRoot: Sendable, Hashable {
    /// The root's real path (no symbolic link, no trailing slash).
    public let path: String
    /// The root as configured, made absolute and normalised (it may be a symbolic link: URLs
    /// may name files through it).
    public let configured: String

    /// The folder at `directory`, which must exist.
    /// - Throws: when it does not exist or is not a folder.
    public init(_ directory: String) throws(DataSourceError) {
        try self.init(directory, purpose: .data)
    }

    init(_ directory: String, purpose: ReferencePurpose) throws(DataSourceError) {
        guard let real = Self.realPath(directory) else {
            throw DataSourceError("\(purpose.noun) root \(directory) does not exist (\(purpose.rootFlag))")
        }
        var st = stat()
        guard stat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw DataSourceError("\(purpose.noun) root \(directory) is not a folder (\(purpose.rootFlag))")
        }
        path = real == "/" ? "" : real
        let absolute = directory.hasPrefix("/") ? directory : (Self.realPath(".") ?? "") + "/" + directory
        let normalised = Self.lexicallyNormalised(absolute)
        configured = normalised == "/" ? "" : normalised
    }

    /// Whether `candidate` (an absolute, normalised path) is this root's real path or lies below it.
    func contains(_ candidate: String) -> Bool {
        candidate == path || candidate.hasPrefix(path + "/")
    }

    /// Whether `candidate` lies under the root as configured or as its real path.
    func containsLexically(_ candidate: String) -> Bool {
        contains(candidate) || candidate == configured || candidate.hasPrefix(configured + "/")
    }

    /// The file a `file://` URL names, as a real path under one of `roots`.
    /// - Throws: a message for the field's error when the URL is malformed, lies outside every
    ///   root (before anything is looked up), does not exist, or resolves outside the roots.
    static func resolve(_ url: String, roots: [FileRoot], purpose: ReferencePurpose = .data) throws(DataSourceError) -> String {
        let prefix = "file://"
        guard url.hasPrefix(prefix) else { throw DataSourceError("not a file:// URL") }
        var rest = Substring(url.dropFirst(prefix.count))
        if rest.hasPrefix("localhost/") { rest = rest.dropFirst("localhost".count) }
        guard rest.hasPrefix("/") else {
            throw DataSourceError("a file URL is file:///ABSOLUTE/PATH (three slashes, no host)")
        }
        guard let decoded = percentDecoded(rest) else {
            throw DataSourceError("has an invalid percent-encoding or an encoded NUL or slash")
        }
        let normalised = lexicallyNormalised(decoded)
        guard !roots.isEmpty else {
            throw DataSourceError("no local folder is allowed here (the operator allows one with \(purpose.rootFlag) DIR)")
        }
        guard roots.contains(where: { $0.containsLexically(normalised) }) else {
            throw DataSourceError("is not under an allowed \(purpose.noun) root (\(roots.map(\.displayPath).joined(separator: ", ")))")
        }
        guard let real = realPath(normalised) else {
            throw DataSourceError("no such file")
        }
        guard roots.contains(where: { $0.contains(real) }) else {
            throw DataSourceError("resolves outside the allowed \(purpose.noun) roots (a symbolic link leaving the root is not followed)")
        }
        return real
    }

    var displayPath: String { path.isEmpty ? "/" : path }

    /// `%XX` decoded; nil for a malformed escape, or one that encodes NUL or `/`.
    static func percentDecoded(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.popFirst() {
            guard c == UInt8(ascii: "%") else {
                if c == 0 { return nil }
                bytes.append(c)
                continue
            }
            guard it.count >= 2, let hi = hex(it.popFirst()!), let lo = hex(it.popFirst()!) else { return nil }
            let b = hi << 4 | lo
            if b == 0 || b == UInt8(ascii: "/") { return nil }
            bytes.append(b)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// An absolute path with empty and `.` segments dropped and each `..` taking one segment
    /// back (never above `/`).
    static func lexicallyNormalised(_ path: String) -> String {
        var parts: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { _ = parts.popLast(); continue }
            parts.append(segment)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `realpath(3)`, nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
