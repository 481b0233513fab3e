import Foundation

/// The C kernels' code path is process-wide (`scilearn_set_kernel_level`), and suites run in
/// parallel: a test that sets the path holds this lock for as long as it depends on the path it
/// set, so that two such tests in different suites do not change it under each other (a test
/// that counts the rows the AVX2 path certified saw 0 when another suite had just capped the
/// path at the scalar one). Tests that do not set the path need not take it: every path gives
/// the same results.
public enum KernelPathLock {
    private static let lock = NSLock()

    /// Runs `body` holding the lock (a blocking wait: for test bodies on threads of their own).
    public static func holding<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
