/// Exponential backoff of retried jobs, applied through the visibility timeout: after failed
/// delivery n the message stays invisible for min(cap, base · 2ⁿ⁻¹).
public struct RetryBackoff: Sendable, Equatable {
    /// The delay after the first failed delivery.
    public var base: Duration
    /// The longest delay.
    public var cap: Duration

    /// A backoff starting at `base` (default 1 s) and doubling up to `cap` (default 300 s).
    public init(base: Duration = .seconds(1), cap: Duration = .seconds(300)) {
        self.base = base
        self.cap = cap
    }

    /// The delay after the `attempt`-th delivery failed (attempt ≥ 1).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let doublings = min(max(attempt - 1, 0), 40)
        let seconds = base.seconds * Double(1 << doublings)
        return seconds >= cap.seconds ? cap : .nanoseconds(Int64(seconds * 1e9))
    }
}
