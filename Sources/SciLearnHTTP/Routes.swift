import HTTPTypes

/// The routes of the HTTP adapter, the one list the router, the 404/405 logic and the OpenAPI
/// test share. Paths are OpenAPI templates (`{id}` is one path segment).
enum Routes {
    static let run = "/v1/run"
    static let jobs = "/v1/jobs"
    static let job = "/v1/jobs/{id}"
    static let healthz = "/healthz"
    static let metrics = "/metrics"

    /// Methods by path template (HEAD is generated for every GET). The async routes exist only
    /// when a queue is configured.
    static func methods(async: Bool) -> [String: [HTTPRequest.Method]] {
        var m: [String: [HTTPRequest.Method]] = [
            run: [.post],
            healthz: [.get, .head],
            metrics: [.get, .head],
        ]
        if async {
            m[jobs] = [.post]
            m[job] = [.get, .head]
        }
        return m
    }

    /// The template a concrete path matches, if any.
    static func template(of path: String, in templates: some Collection<String>) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return templates.first { t in
            let tp = t.split(separator: "/", omittingEmptySubsequences: false)
            return tp.count == parts.count && zip(tp, parts).allSatisfy { a, b in
                a.hasPrefix("{") ? !b.isEmpty : a == b
            }
        }
    }

    /// The Hummingbird form of a template (`{id}` becomes `:id`).
    static func routerPath(_ template: String) -> String {
        template.replacingOccurrences(of: "{id}", with: ":id")
    }
}
