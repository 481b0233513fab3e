/// A pointer to doubles that the pieces of a parallel loop read (never write), for the
/// duration of the call that owns the buffer.
struct ReadOnlyPointer: @unchecked Sendable {
    let pointer: UnsafePointer<Double>
    init(_ pointer: UnsafePointer<Double>) { self.pointer = pointer }
}
