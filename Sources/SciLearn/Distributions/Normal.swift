/// The normal distribution with mean `loc` and standard deviation `scale` (matches
/// scipy.stats.norm(loc, scale)): each tail through ``StandardNormal`` at the standardised point,
/// so that both stay accurate to the far tail.
public struct Normal: Sendable, Hashable, Codable {
    /// The mean.
    public let loc: Double
    /// The standard deviation, > 0.
    public let scale: Double

    /// N(`loc`, `scale`²).
    ///
    /// - Precondition: `scale > 0` and both finite.
    public init(loc: Double = 0, scale: Double = 1) {
        precondition(scale > 0 && scale.isFinite && loc.isFinite, "Normal requires a finite loc and a finite scale > 0")
        self.loc = loc
        self.scale = scale
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double { StandardNormal.cdf((x - loc) / scale) }

    /// P(X > x), computed directly in the upper tail.
    public func sf(_ x: Double) -> Double { StandardNormal.sf((x - loc) / scale) }

    /// The x with P(X ≤ x) = p.
    public func quantile(_ p: Double) -> Double { loc + scale * StandardNormal.quantile(p) }

    /// The x with P(X > x) = q, exact in the upper tail.
    public func inverseSF(_ q: Double) -> Double { loc + scale * StandardNormal.inverseSF(q) }
}
