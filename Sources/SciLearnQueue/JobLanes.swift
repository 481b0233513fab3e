import Foundation
import Synchronization

/// A worker's job threads: `count` threads, each running ready items one after another. A thread
/// that finishes a job starts the next ready one at once, with no hand-off through the
/// cooperative pool (measured: that round trip left each slot idle more than half the time on
/// a 2-core machine; Docs/benchmarks.md). At most `count` items run at once.
final class JobLanes<Item: Sendable>: Sendable {
    private struct State {
        var ready: [Item] = []
        var head = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let count: Int

    /// Starts `count` threads that call `handle` with each submitted item.
    init(count: Int, name: String, handle: @escaping @Sendable (Item) -> Void) {
        self.count = count
        for k in 0..<count {
            let thread = Thread { [self] in
                while let item = self.next() { handle(item) }
            }
            thread.name = "\(name).\(k)"
            thread.start()
        }
    }

    /// Queues an item for the next free thread.
    func submit(_ item: Item) {
        state.withLock { $0.ready.append(item) }
        available.signal()
    }

    /// Removes and returns the items not yet started.
    func takeWaiting() -> [Item] {
        state.withLock { s in
            let out = Array(s.ready[s.head...])
            s.ready.removeAll()
            s.head = 0
            return out
        }
    }

    /// Lets the threads end once nothing is left to start.
    func close() {
        state.withLock { $0.closed = true }
        for _ in 0..<count { available.signal() }
    }

    /// The next item, waiting for one; nil once closed and empty.
    private func next() -> Item? {
        while true {
            available.wait()
            let item: Item?? = state.withLock { s in
                if s.head < s.ready.count {
                    let item = s.ready[s.head]
                    s.head += 1
                    if s.head > 1024 && s.head * 2 > s.ready.count {
                        s.ready.removeFirst(s.head)
                        s.head = 0
                    }
                    return .some(item)
                }
                return s.closed ? .some(nil) : nil
            }
            if let item { return item }
        }
    }
}
