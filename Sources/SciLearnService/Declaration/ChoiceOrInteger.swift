/// A param that is one of a set of strings or an integer.
enum ChoiceOrInteger<E: Sendable>: Sendable {
    case choice(E)
    case integer(Int)
}
