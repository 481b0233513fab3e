import SciLearn

/// A param that is one of a set of strings or an explicit matrix.
enum ChoiceOrMatrix<E: Sendable>: Sendable {
    case choice(E)
    case matrix(Matrix)
}
