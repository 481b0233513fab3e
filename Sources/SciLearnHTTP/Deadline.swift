/// Runs an operation against a deadline: past it, the operation is cancelled and
/// ``Exceeded`` is thrown. The operation must honour cancellation promptly.
enum Deadline {
    struct Exceeded: Error {}

    static func run<T: Sendable>(
        within timeout: Duration,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Exceeded()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
