/// Where the pieces of a parallel read write: the matrix's first element. Each piece writes
/// elements no other piece writes, and the matrix is read only after every piece has ended
/// (`Parallelism.map` returns then), so sharing the pointer across threads is safe.
struct MatrixDestination: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>?
}
