import CKernels

/// A buffer allocated once that the pieces of a parallel loop write through, each its own
/// disjoint range (a `[T]` written from several threads would race on its copy-on-write check).
/// Read it only after the loop has returned (its wait is the barrier).
final class SharedBuffer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    let count: Int

    /// `count` elements left uninitialised, for a trivial `T` (numbers) every element of which
    /// the caller writes before any is read: no serial zero-filling pass, so that the parallel
    /// pieces that write it first touch (fault in) its pages themselves; huge pages advised for
    /// the interior of a large buffer (one fault per 2 MiB instead of per 4 KiB).
    init(uninitializedCount count: Int) where T: BitwiseCopyable {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        scilearn_advise_huge_pages(pointer, count * MemoryLayout<T>.stride)
    }

    /// `count` elements, each `value`.
    init(repeating value: T, count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    /// The elements, copied out.
    var array: [T] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Element `i`.
    subscript(i: Int) -> T {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    /// The elements as a buffer, for the duration of `body` (as `Array`'s method).
    func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<T>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: pointer, count: count))
    }
}
