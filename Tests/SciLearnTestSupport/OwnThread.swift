import Foundation

/// Runs blocking work (a large fit, a wait on a semaphore) on a thread of its own, never on the
/// test runner's cooperative threads, which other suites' async tests need meanwhile.
public enum OwnThread {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
