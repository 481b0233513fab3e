/// The error a request body's reader sees when the client has sent no body byte for the body
/// timeout: the ``HTTPConnectionGuard`` raises it in the pipeline, the endpoint answers 408
/// `request_timeout`, and the connection is closed after that answer.
struct BodyStalled: Error, Sendable {
    let seconds: Double
}
