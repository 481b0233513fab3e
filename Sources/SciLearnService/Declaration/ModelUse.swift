/// How `predict` or `transform` reads a fit task's result back.
struct ModelUse: Sendable {
    enum Verb: String, Sendable {
        case predict, transform
    }

    let verb: Verb
    /// Reads the result object; errors name fields under `path` (`params.model.result`).
    let read: @Sendable (_ result: JSONValue, _ path: String) throws(ServiceError) -> any FittedModel
}
