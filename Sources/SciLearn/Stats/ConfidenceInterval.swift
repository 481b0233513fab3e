/// A confidence interval whose ends may be unbounded (a one-sided alternative's): `nil` is −∞
/// for ``lower`` and +∞ for ``upper``.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// The lower end; nil when unbounded below.
    public var lower: Double?
    /// The upper end; nil when unbounded above.
    public var upper: Double?

    /// The interval [`lower`, `upper`]; an infinite end is stored as nil.
    public init(lower: Double, upper: Double) {
        self.lower = lower.isFinite ? lower : nil
        self.upper = upper.isFinite ? upper : nil
    }

    /// Whether an end is unbounded (infinite, or not a number).
    public var isUnbounded: Bool { lower == nil || upper == nil }
}
