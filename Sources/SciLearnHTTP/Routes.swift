import HTTPTypes

/// The routes of the sync adapter, the one list the router, the 404/405 logic and the
/// OpenAPI test share.
enum Routes {
    static let run = "/v1/run"
    static let healthz = "/healthz"
    static let metrics = "/metrics"

    /// Methods by path (HEAD is generated for every GET).
    static let methods: [String: [HTTPRequest.Method]] = [
        run: [.post],
        healthz: [.get, .head],
        metrics: [.get, .head],
    ]
}
