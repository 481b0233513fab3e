/// The two views of a `Duration` the adapter needs: whole nanoseconds (NIO timers, metrics) and
/// fractional seconds (messages, headers).
extension Duration {
    /// Whole nanoseconds, saturating at `Int64.max` (a deadline of centuries is "never").
    var nanoseconds: Int64 {
        let (whole, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return components.seconds < 0 ? .min : .max }
        let (sum, overflow2) = whole.addingReportingOverflow(components.attoseconds / 1_000_000_000)
        return overflow2 ? .max : sum
    }

    /// Seconds as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
