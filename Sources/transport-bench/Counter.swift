import Synchronization

/// An integer shared by the tasks of a load run.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds `n`; returns the value before.
    @discardableResult
    func add(_ n: Int = 1) -> Int { value.withLock { v in defer { v += n }; return v } }

    var current: Int { value.withLock { $0 } }
}

/// A value shared by the tasks of a load run, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
}
