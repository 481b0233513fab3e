/// Deadline outcomes shared by ``RequestDeadline`` and the run endpoint.
enum Deadline {
    /// The request ran past its deadline (answered 504 `timeout`).
    struct Exceeded: Error {}
}
