/// The words for results that cannot be given as numbers: the one place the engine and the
/// service phrase them, so that every such warning names the fields it concerns (the contract's
/// rule: a null is always accompanied by a warning naming the field and why).
public enum UndefinedValue {
    /// `coef, intercept: beyond the range of a double, reported null; rescale the data`.
    public static func beyondRange(_ fields: [String]) -> String {
        "\(fields.joined(separator: ", ")): beyond the range of a double, reported null; rescale the data"
    }

    /// `statistic, p_value: undefined (null): the sample a is constant`.
    public static func undefined(_ fields: [String], _ why: String) -> String {
        "\(fields.joined(separator: ", ")): undefined (null): \(why)"
    }

    /// `statistic: infinite, reported null: ...` (scipy's inf, which JSON cannot carry).
    public static func infinite(_ fields: [String], _ why: String) -> String {
        "\(fields.joined(separator: ", ")): infinite, reported null: \(why)"
    }

    /// Which of a pair of samples is constant, for the correlations' warnings: `x is constant`,
    /// `y is constant` or `x and y are constant`.
    public static func constantPair(x: Bool, y: Bool) -> String {
        x && y ? "x and y are constant" : x ? "x is constant" : "y is constant"
    }

    /// `confidence_interval: the upper end is unbounded (+infinity) for alternative "greater", reported null`.
    public static func unboundedInterval(_ field: String, _ alternative: Alternative) -> String {
        let end = alternative == .less ? "lower end is unbounded (-infinity)" : "upper end is unbounded (+infinity)"
        return "\(field): the \(end) for alternative \"\(alternative.rawValue)\", reported null"
    }
}
