/// The words for results that cannot be given as numbers: the one place the engine and the
/// service phrase them, so that every such warning names the fields it concerns (the contract's
/// rule: a null is always accompanied by a warning naming the field and why).
public enum UndefinedValue {
    /// `coef, intercept: beyond the range of a double, reported null; rescale the data`.
    public static func beyondRange(_ fields: [String]) -> String {
        "\(fields.joined(separator: ", ")): beyond the range of a double, reported null; rescale the data"
    }
}
