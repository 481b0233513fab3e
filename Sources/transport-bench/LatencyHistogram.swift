import Histogram
import Synchronization

/// Latencies in microseconds (HdrHistogram, three significant digits, up to ten minutes),
/// recorded from any task.
final class LatencyHistogram: Sendable {
    private let histogram = Mutex(Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three))

    func record(seconds: Double) {
        let us = UInt64(max(1, min(600_000_000, (seconds * 1e6).rounded())))
        histogram.withLock { _ = $0.record(us) }
    }

    var summary: LatencySummary {
        histogram.withLock { h in
            LatencySummary(count: Int(h.totalCount), p50: Double(h.valueAtPercentile(50)) / 1e3, p95: Double(h.valueAtPercentile(95)) / 1e3,
                           p99: Double(h.valueAtPercentile(99)) / 1e3, max: Double(h.max) / 1e3, mean: h.mean / 1e3)
        }
    }

    /// (latency ms, cumulative fraction) at 201 quantiles (0, 0.5, ..., 100 %, and 99.9 %), for
    /// the distribution plots.
    var distribution: [[Double]] {
        histogram.withLock { h in
            guard h.totalCount > 0 else { return [] }
            let qs = (0...200).map { Double($0) / 2 } + [99.9]
            return qs.sorted().map { [Double(h.valueAtPercentile($0)) / 1e3, $0 / 100] }
        }
    }
}

/// Percentiles of a latency histogram, milliseconds.
struct LatencySummary: Codable, Sendable {
    var count: Int
    var p50, p95, p99, max, mean: Double
}
