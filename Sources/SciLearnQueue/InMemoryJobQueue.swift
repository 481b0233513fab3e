import Foundation
import Synchronization

/// ``JobQueue`` in memory, with the same semantics as ``SQLiteJobQueue`` (visibility, receive
/// counts, stale handles, one live message per job id, long poll): for tests and for embedding
/// where durability is not wanted. Nothing survives the process.
public final class InMemoryJobQueue: JobQueue {
    private struct Stored {
        var seq: Int
        var jobID: String
        var body: [UInt8]
        var sentAt: Date
        var visibleAt: Date
        var receiveCount: Int
    }

    private struct State {
        var nextSeq = 1
        var messages: [Int: Stored] = [:]
        var dead: [(message: Stored, reason: String)] = []
    }

    private let state = Mutex(State())
    private let wake = WakeSignal()
    private let clock: any QueueClock

    /// An empty queue whose visibility timeouts run on `clock`.
    public init(clock: any QueueClock = SystemQueueClock()) {
        self.clock = clock
    }

    /// Queues each message, or returns its job id's live one (`duplicate: true`), and wakes waiting receivers.
    public func send(_ messages: [OutgoingMessage]) async throws -> [SentMessage] {
        let now = clock.now
        let sent = state.withLock { s in
            messages.map { m in
                if let existing = s.messages.values.first(where: { $0.jobID == m.jobID }) {
                    return SentMessage(messageID: String(existing.seq), jobID: m.jobID, duplicate: true)
                }
                let seq = s.nextSeq
                s.nextSeq += 1
                s.messages[seq] = Stored(seq: seq, jobID: m.jobID, body: m.body, sentAt: now, visibleAt: now, receiveCount: 0)
                return SentMessage(messageID: String(seq), jobID: m.jobID, duplicate: false)
            }
        }
        wake.signal()
        return sent
    }

    /// Receives up to `max` visible messages, earliest visible first, long-polling up to `wait`; throws when `max` < 1.
    public func receive(max: Int, visibilityTimeout: Duration, wait: Duration) async throws -> [QueueMessage] {
        guard max >= 1 else { throw QueueError(.invalidArgument, "receive: max must be >= 1, not \(max)") }
        let deadline = ContinuousClock.now + wait
        while true {
            let generation = wake.generation
            let now = clock.now
            let got = state.withLock { s in
                let ready = s.messages.values.filter { $0.visibleAt <= now }
                    .sorted { ($0.visibleAt, $0.seq) < ($1.visibleAt, $1.seq) }
                    .prefix(max)
                return ready.map { m in
                    var m = m
                    m.receiveCount += 1
                    m.visibleAt = now + visibilityTimeout
                    s.messages[m.seq] = m
                    return QueueMessage(messageID: String(m.seq), jobID: m.jobID, body: m.body, receiptHandle: "\(m.seq):\(m.receiveCount)", receiveCount: m.receiveCount, sentAt: m.sentAt)
                }
            }
            if !got.isEmpty { return got }
            let left = deadline - ContinuousClock.now
            if left <= .zero || Task.isCancelled { return [] }
            // Woken by a send or a release; a visibility timeout running out is seen within 10 ms.
            await wake.wait(after: generation, upTo: min(left, .milliseconds(10)))
        }
    }

    /// Deletes the messages whose handles are current; stale or malformed handles delete nothing.
    public func delete(_ receiptHandles: [String]) async throws {
        let handles = receiptHandles.compactMap(Self.parse)
        state.withLock { s in
            for (seq, count) in handles where s.messages[seq]?.receiveCount == count { s.messages[seq] = nil }
        }
    }

    /// Makes the messages whose handles are current invisible for `timeout` from now (0 also wakes waiting receivers).
    public func changeVisibility(_ receiptHandles: [String], timeout: Duration) async throws {
        let handles = receiptHandles.compactMap(Self.parse)
        let at = clock.now + timeout
        state.withLock { s in
            for (seq, count) in handles where s.messages[seq]?.receiveCount == count { s.messages[seq]?.visibleAt = at }
        }
        if timeout == .zero { wake.signal() }
    }

    /// Moves the message to the dead letters with `reason`, unless its handle is stale.
    public func deadLetter(_ message: QueueMessage, reason: String) async throws {
        guard let (seq, count) = Self.parse(message.receiptHandle) else { return }
        state.withLock { s in
            guard let m = s.messages[seq], m.receiveCount == count else { return }
            s.messages[seq] = nil
            s.dead.append((m, reason))
        }
    }

    /// Moves up to `limit` dead letters (all when nil) back, oldest first, receive counts reset (a job with a live message keeps it); returns how many.
    public func redrive(limit: Int?) async throws -> Int {
        let n = state.withLock { s in
            let moving = s.dead.prefix(limit ?? s.dead.count)
            s.dead.removeFirst(moving.count)
            for (m, _) in moving where !s.messages.values.contains(where: { $0.jobID == m.jobID }) {
                var m = m
                m.receiveCount = 0
                m.visibleAt = clock.now
                s.messages[m.seq] = m
            }
            return moving.count
        }
        wake.signal()
        return n
    }

    /// Where the job's live message is (queued or in flight), else its latest dead letter; nil when neither.
    public func state(ofJob jobID: String) async throws -> MessageState? {
        let now = clock.now
        return state.withLock { s in
            if let m = s.messages.values.first(where: { $0.jobID == jobID }) {
                return m.visibleAt > now ? .inFlight(receiveCount: m.receiveCount) : .queued(receiveCount: m.receiveCount)
            }
            return s.dead.last(where: { $0.message.jobID == jobID }).map { .deadLettered(receiveCount: $0.message.receiveCount) }
        }
    }

    /// The counts of visible, in-flight and dead-lettered messages now.
    public func depth() async throws -> QueueDepth {
        let now = clock.now
        return state.withLock { s in
            let visible = s.messages.values.count { $0.visibleAt <= now }
            return QueueDepth(visible: visible, inFlight: s.messages.count - visible, deadLettered: s.dead.count)
        }
    }

    /// The dead letters with their reasons, oldest first.
    public var deadLetters: [(jobID: String, body: [UInt8], receiveCount: Int, reason: String)] {
        state.withLock { s in s.dead.map { ($0.message.jobID, $0.message.body, $0.message.receiveCount, $0.reason) } }
    }

    private static func parse(_ handle: String) -> (Int, Int)? {
        let parts = handle.split(separator: ":")
        guard parts.count == 2, let seq = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        return (seq, count)
    }
}
