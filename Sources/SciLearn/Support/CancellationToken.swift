import Synchronization

/// A request to stop a computation early, shared between whoever decides (a server's deadline, a
/// worker's drain) and the engine's long loops, which check it cooperatively.
///
/// Run a fit under a token with ``run(_:)``; once ``cancel()`` has been called, the next check
/// point throws ``SciLearnError`` of kind `cancelled` and the fit unwinds, freeing its memory.
/// Check points sit between bounded pieces of work: each row block of the tall-skinny QR (sized so
/// that one block is at most about 10⁸ flops), each pass of iterative refinement, each piece of a
/// parallel loop, each block of a Gram matrix. A single LAPACK call (the SVD of a wide design, or
/// of a p × p factor) is not interruptible; the cost limits bound how long one can take.
///
/// A fit called from a Swift task also stops when that task is cancelled.
public final class CancellationToken: Sendable {
    private let cancelled = Atomic<Bool>(false)

    /// A token not yet cancelled.
    public init() {}

    /// Asks every computation running under this token to stop at its next check point.
    /// Idempotent; safe from any thread.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    /// Whether ``cancel()`` has been called.
    public var isCancelled: Bool {
        cancelled.load(ordering: .acquiring)
    }

    /// Runs `body` (synchronously, on this thread) with this token as the engine's current one:
    /// every engine call inside it, including the helper threads of its parallel loops, checks
    /// this token.
    public func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        var outcome: Result<T, E>?
        Self.$current.withValue(self) {
            do throws(E) { outcome = .success(try body()) } catch { outcome = .failure(error) }
        }
        return try outcome!.get()
    }

    /// The token of the innermost ``run(_:)`` on this thread (or task), if any.
    @TaskLocal static var current: CancellationToken?

    /// Throws `cancelled` when the current token was cancelled, or the current Swift task was.
    /// Cheap enough for once per block of work (a task-local read and an atomic load).
    static func check() throws(SciLearnError) {
        if current?.isCancelled == true || withUnsafeCurrentTask(body: { $0?.isCancelled ?? false }) {
            throw SciLearnError(.cancelled, field: nil, "the computation was cancelled before it finished")
        }
    }
}
