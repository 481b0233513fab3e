/// `n_components`: all, a count, or the fraction of variance to keep.
enum ComponentCount: Sendable, Equatable {
    case all
    case count(Int)
    case fraction(Double)
}
