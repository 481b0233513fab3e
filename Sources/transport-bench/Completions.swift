/// Callers waiting for their jobs' records, by job id: what a collector reads from a success or
/// failure queue (or an invocation's response) resumes the job's caller. A record that arrives
/// before its caller waits is kept until it does.
actor Completions {
    private var waiters: [String: CheckedContinuation<Bool, Never>] = [:]
    private var early: [String: Bool] = [:]

    /// Waits for job `id`'s outcome (true: success); false when the waiting task is cancelled
    /// (the suite's per-job time limit).
    func wait(_ id: String) async -> Bool {
        if let ok = early.removeValue(forKey: id) { return ok }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { c in if Task.isCancelled { c.resume(returning: false) } else { waiters[id] = c } }
        } onCancel: {
            Task { await self.abandon(id) }
        }
    }

    private func abandon(_ id: String) {
        waiters.removeValue(forKey: id)?.resume(returning: false)
    }

    /// Job `id` has ended.
    func resolve(_ id: String, ok: Bool) {
        if let w = waiters.removeValue(forKey: id) { w.resume(returning: ok) } else { early[id] = ok }
    }
}
