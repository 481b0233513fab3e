import SciLearnService

/// A job as the pool hands it back: the response, already serialised on the pool thread (so
/// that event-loop and handler threads only move bytes), and how long the pool thread spent on
/// it, reported to the client as `Server-Timing: job;dur=<ms>`.
struct ExecutedJob: Sendable {
    let response: JobResponse
    let json: String
    let milliseconds: Double
}
