/// The two views of a `Duration` the transports need: whole nanoseconds (NIO timers, metrics)
/// and fractional seconds (messages, headers, queue timestamps).
extension Duration {
    /// Whole nanoseconds, saturating at `Int64.max` (a deadline of centuries is "never").
    public var nanoseconds: Int64 {
        let (whole, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return components.seconds < 0 ? .min : .max }
        let (sum, overflow2) = whole.addingReportingOverflow(components.attoseconds / 1_000_000_000)
        return overflow2 ? .max : sum
    }

    /// Seconds as a Double.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
