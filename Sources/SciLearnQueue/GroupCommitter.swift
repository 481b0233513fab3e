import Synchronization

/// Group commit of finished jobs: each finished job hands over its record (if any) and its
/// receipt handle and waits; one commit at a time writes everything handed over since the last
/// one, records first, deletes after. When queue and destinations share one SQLite file the
/// two go in one transaction (one fsync for the whole group).
actor GroupCommitter {
    private let queue: any JobQueue
    private let success: any JobDestination
    private let failure: any JobDestination
    private let sharedStore: SQLiteStore?

    private var successes: [DestinationRecord] = []
    private var failures: [DestinationRecord] = []
    private var deletes: [String] = []
    private var waiters: [CheckedContinuation<Void, any Error>] = []
    private var flushing = false

    init(queue: any JobQueue, success: any JobDestination, failure: any JobDestination) {
        self.queue = queue
        self.success = success
        self.failure = failure
        if let q = queue as? SQLiteJobQueue, let s = success as? SQLiteDestination, let f = failure as? SQLiteDestination,
           q.store === s.store, s.store === f.store, s.table == .success, f.table == .failure {
            sharedStore = q.store
        } else {
            sharedStore = nil
        }
    }

    func commit(success: DestinationRecord?, failure: DestinationRecord?, delete: String) async throws {
        if let success { successes.append(success) }
        if let failure { failures.append(failure) }
        deletes.append(delete)
        try await withCheckedThrowingContinuation { c in
            waiters.append(c)
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !waiters.isEmpty {
            let (s, f, d, w) = (successes, failures, deletes, waiters)
            successes = []
            failures = []
            deletes = []
            waiters = []
            do {
                try await write(s, f, d)
                for c in w { c.resume() }
            } catch {
                for c in w { c.resume(throwing: error) }
            }
        }
        flushing = false
    }

    private func write(_ s: [DestinationRecord], _ f: [DestinationRecord], _ d: [String]) async throws {
        if let store = sharedStore {
            let handles = try d.map(SQLiteJobQueue.parse)
            try await store.write { db in
                try SQLiteDestination.insert(s, into: .success, db)
                try SQLiteDestination.insert(f, into: .failure, db)
                try SQLiteJobQueue.delete(handles, db)
            }
        } else {
            try await success.put(s)
            try await failure.put(f)
            try await queue.delete(d)
        }
    }
}
