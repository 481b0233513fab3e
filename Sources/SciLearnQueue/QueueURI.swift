/// A queue or destination address. `sqlite:PATH` is the embedded backend (the file is created
/// if missing); SQS queue URLs come with the SQS backend.
public enum QueueURI: Sendable, Equatable {
    case sqlite(path: String)

    /// The SQLite file of an embedded-backend URI.
    public var path: String {
        switch self {
        case .sqlite(let path): path
        }
    }

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
            throw QueueError(.invalidURI, "\(field): '\(text)': the SQS backend is not part of this build yet; use sqlite:PATH")
        }
        throw QueueError(.invalidURI, "\(field): '\(text)' is not a queue URI; write sqlite:PATH (e.g. sqlite:./.scilearn/queue.db)")
    }
}
