import Synchronization

/// The one bound on request bodies across all routes (`/v1/run` and `/v1/jobs` together): at
/// most `maxUploads` bodies being read at once and at most `maxBytes` bytes of bodies held
/// (being read, or read and waiting for their job or their queue write). A body reserves its
/// declared length before a byte is read; a chunked one reserves as its chunks arrive.
final class UploadBudget: Sendable {
    let maxUploads: Int
    let maxBytes: Int

    private struct State {
        var uploads = 0
        var bytes = 0
    }
    private let state = Mutex(State())

    init(maxUploads: Int, maxBytes: Int) {
        precondition(maxUploads >= 1 && maxBytes >= 1, "upload limits must be >= 1")
        self.maxUploads = maxUploads
        self.maxBytes = maxBytes
    }

    /// Uploads in progress and bytes held (metrics, tests).
    var usage: (uploads: Int, bytes: Int) { state.withLock { ($0.uploads, $0.bytes) } }

    /// One body's hold on the budget.
    final class Reservation: Sendable {
        private let budget: UploadBudget
        private struct Hold { var bytes: Int; var uploading: Bool }
        private let hold: Mutex<Hold>

        fileprivate init(budget: UploadBudget, bytes: Int) {
            self.budget = budget
            self.hold = Mutex(Hold(bytes: bytes, uploading: true))
        }

        /// Reserves `n` more bytes; false (nothing reserved) if the budget has no room.
        func grow(by n: Int) -> Bool {
            guard budget.take(n) else { return false }
            hold.withLock { $0.bytes += n }
            return true
        }

        /// The body is read: its upload slot is free (its bytes stay reserved).
        func uploadEnded() {
            let was = hold.withLock { h -> Bool in defer { h.uploading = false }; return h.uploading }
            if was { budget.endUpload() }
        }

        /// The body is no longer held. Idempotent.
        func release() {
            uploadEnded()
            let n = hold.withLock { h -> Int in defer { h.bytes = 0 }; return h.bytes }
            budget.give(n)
        }

        deinit { release() }
    }

    /// An upload slot and `bytes` of the budget, or nil (the caller answers 503) with the reason.
    func reserve(_ bytes: Int) -> Result<Reservation, Refusal> {
        let refusal: Refusal? = state.withLock { s in
            if s.uploads >= maxUploads { return .uploads }
            if s.bytes + bytes > maxBytes { return .bytes }
            s.uploads += 1
            s.bytes += bytes
            return nil
        }
        if let refusal { return .failure(refusal) }
        return .success(Reservation(budget: self, bytes: bytes))
    }

    /// Why a body was refused.
    enum Refusal: Error {
        case uploads, bytes
    }

    private func take(_ n: Int) -> Bool {
        state.withLock { s in
            guard s.bytes + n <= maxBytes else { return false }
            s.bytes += n
            return true
        }
    }

    private func give(_ n: Int) {
        if n != 0 { state.withLock { $0.bytes -= n } }
    }

    private func endUpload() {
        state.withLock { $0.uploads -= 1 }
    }
}
