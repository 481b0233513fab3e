import Foundation
import SciLearnService

/// Where the queue backends and the worker read the time: visibility timeouts, the heartbeat
/// and the drain deadline. ``SystemQueueClock`` in production; tests drive a manual clock, so
/// that a visibility window or a drain deadline does not depend on the machine scheduling the
/// test within a fraction of a second.
///
/// Times are dates (seconds since 1970) because the SQLite backend stores them and several
/// processes share its file. Long-poll waits and short internal polls stay on real time: they
/// only bound latency.
public protocol QueueClock: Sendable {
    /// The current time.
    var now: Date { get }
    /// Suspends for `duration` of this clock's time; throws `CancellationError` when cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's clock (`Date()`) and `Task.sleep`.
public struct SystemQueueClock: QueueClock {
    /// The system clock.
    public init() {}
    /// `Date()`.
    public var now: Date { Date() }
    /// `Task.sleep(for:)`.
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

extension Date {
    /// This date moved by `duration`.
    static func + (date: Date, duration: Duration) -> Date { date.addingTimeInterval(duration.seconds) }
}
