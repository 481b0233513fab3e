/// A queue or destination address. `sqlite:PATH` is the embedded backend (the file is created
/// if missing); an `https://` (or, for an SQS-compatible test server, `http://`) URL is an SQS
/// queue URL, `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`.
public enum QueueURI: Sendable, Equatable {
    /// The embedded backend: the SQLite file at `path`.
    case sqlite(path: String)
    /// An SQS queue URL: its endpoint (`scheme://host[:port]`) and the URL itself.
    case sqs(url: String, endpoint: String, host: String)

    /// The SQLite file of an embedded-backend URI ("" for SQS).
    public var path: String {
        switch self {
        case .sqlite(let path): path
        case .sqs: ""
        }
    }

    /// Parses `text`; throws `invalidURI`, naming `field`, when it is neither `sqlite:PATH` nor an SQS queue URL.
    public init(_ text: String, field: String) throws(QueueError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty, !path.utf8.contains(0) else {
                throw QueueError(.invalidURI, "\(field): '\(text)' names no file; write sqlite:PATH, e.g. sqlite:./.scilearn/queue.db")
            }
            self = .sqlite(path: path)
            return
        }
        if text.hasPrefix("https://") || text.hasPrefix("http://") {
            let scheme = text.hasPrefix("https://") ? "https://" : "http://"
            let rest = text.dropFirst(scheme.count)
            let host = String(rest.prefix { $0 != "/" })
            let path = rest.dropFirst(host.count)
            guard !host.isEmpty, path.split(separator: "/").count == 2, !text.contains(" ") else {
                throw QueueError(.invalidURI, "\(field): '\(text)' is not an SQS queue URL; write https://sqs.REGION.amazonaws.com/ACCOUNT/NAME")
            }
            self = .sqs(url: text, endpoint: scheme + host, host: String(host.split(separator: ":").first ?? ""))
            return
        }
        throw QueueError(.invalidURI, "\(field): '\(text)' is not a queue URI; write sqlite:PATH (e.g. sqlite:./.scilearn/queue.db) or an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)")
    }
}
