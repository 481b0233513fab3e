/// The range a numeric configuration value must lie in, declared once per parameter by the
/// estimator (for example ``ElasticNet/Rules/tol``): the estimator's `validate()` checks it, the
/// service's param declarations read its ``description`` for their docs and messages, and the
/// OpenAPI schema its bounds. Changing a rule changes all three.
///
/// A rule on a real number also requires it to be finite; ``description`` reads as the contract
/// writes ranges (`>= 0`, `> 0`, `in (0, 1)`, `in [0, 1]`).
public struct ParameterRule: Sendable, Hashable, CustomStringConvertible {
    /// One end of the range.
    public enum Bound: Sendable, Hashable {
        /// The value may equal the bound.
        case inclusive(Double)
        /// The value must differ from the bound.
        case exclusive(Double)

        /// The bound's value.
        public var value: Double {
            switch self {
            case .inclusive(let v), .exclusive(let v): v
            }
        }

        var isInclusive: Bool {
            if case .inclusive = self { return true }
            return false
        }
    }

    /// The parameter's wire name (`alpha`, `l1_ratio`, `max_iter`).
    public let field: String
    /// The lower end, if any.
    public let lower: Bound?
    /// The upper end, if any.
    public let upper: Bound?
    /// Whether the value is a whole number (a count of iterations); otherwise any finite real.
    public let integral: Bool

    /// A rule on `field`: between `lower` and `upper` (either may be absent).
    public init(_ field: String, lower: Bound? = nil, upper: Bound? = nil, integral: Bool = false) {
        self.field = field
        self.lower = lower
        self.upper = upper
        self.integral = integral
    }

    /// The service's `random_state`: an integer in [0, 2³² − 1], as scikit-learn accepts (the
    /// Swift API's seeds take any `UInt64`). One rule for every seeded estimator.
    public static let randomState = ParameterRule("random_state", lower: .inclusive(0), upper: .inclusive(4_294_967_295), integral: true)

    /// `field >= v` on a real number.
    public static func atLeast(_ field: String, _ v: Double) -> ParameterRule { ParameterRule(field, lower: .inclusive(v)) }
    /// `field > v` on a real number.
    public static func above(_ field: String, _ v: Double) -> ParameterRule { ParameterRule(field, lower: .exclusive(v)) }
    /// `field >= v` on a whole number.
    public static func count(_ field: String, atLeast v: Int) -> ParameterRule {
        ParameterRule(field, lower: .inclusive(Double(v)), integral: true)
    }

    /// The range as the contract writes it: `>= 0`, `> 0`, `in (0, 1)`, `in [0, 1]`.
    public var description: String {
        switch (lower, upper) {
        case let (lo?, hi?):
            return "in \(lo.isInclusive ? "[" : "(")\(Self.format(lo.value)), \(Self.format(hi.value))\(hi.isInclusive ? "]" : ")")"
        case let (lo?, nil): return "\(lo.isInclusive ? ">=" : ">") \(Self.format(lo.value))"
        case let (nil, hi?): return "\(hi.isInclusive ? "<=" : "<") \(Self.format(hi.value))"
        case (nil, nil): return integral ? "any integer" : "any finite number"
        }
    }

    /// Whether `v` satisfies the rule (NaN and ±infinity never do).
    public func admits(_ v: Double) -> Bool {
        guard v.isFinite else { return false }
        if integral && v != v.rounded() { return false }
        if let lower {
            switch lower {
            case .inclusive(let b): if !(v >= b) { return false }
            case .exclusive(let b): if !(v > b) { return false }
            }
        }
        if let upper {
            switch upper {
            case .inclusive(let b): if !(v <= b) { return false }
            case .exclusive(let b): if !(v < b) { return false }
            }
        }
        return true
    }

    /// Throws `invalidParameter` naming `name` (default: the rule's field) unless `v` satisfies
    /// the rule: `alpha: must be a finite number >= 0; got -1`.
    public func check(_ v: Double, name: String? = nil) throws(SciLearnError) {
        guard admits(v) else {
            throw .invalidParameter(name ?? field, "must be \(integral ? "an integer" : "a finite number") \(description); got \(Self.format(v))")
        }
    }

    /// As ``check(_:name:)-(Double,_)`` for a whole number.
    public func check(_ v: Int, name: String? = nil) throws(SciLearnError) {
        guard admits(Double(v)) else {
            throw .invalidParameter(name ?? field, "must be an integer \(description); got \(v)")
        }
    }

    /// Shortest text that reads back to `v` (`1`, `0.5`, `1e-10`).
    static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return "\(v)"
    }
}
