import Foundation
import SciLearnService

/// A queue with its success and failure destinations: what `scilearn worker`, `submit`,
/// `status`, `redrive` and the HTTP `/v1/jobs` routes work on. `SciLearnBackends` opens one from
/// URIs (`JobBackend.open`), picking the backend by the URI's form.
public struct JobBackend: Sendable {
    /// The queue jobs are sent to and workers receive from.
    public let queue: any JobQueue
    /// Where jobs that succeed are recorded.
    public let success: any JobDestination
    /// Where jobs that fail are recorded.
    public let failure: any JobDestination
    /// Whether a job's status can be read back by id (the embedded backend: yes; SQS: no, its
    /// queue cannot be searched and its destinations are queues of records).
    public let readsJobsBack: Bool

    /// A backend of these three; `readsJobsBack` is false when job status cannot be read back by id (SQS).
    public init(queue: any JobQueue, success: any JobDestination, failure: any JobDestination, readsJobsBack: Bool = true) {
        self.queue = queue
        self.success = success
        self.failure = failure
        self.readsJobsBack = readsJobsBack
    }

    /// Puts a request on the queue, idempotently on its id. The envelope is checked first
    /// (JSON object, valid `id`, known `task`): a body that can only fail is refused here.
    /// - Returns: the job's status and whether this call created it (false: the id was known,
    ///   and the existing job is returned; nothing is queued again).
    public func submit(_ body: [UInt8], limits: ServiceLimits = ServiceLimits()) async throws -> (status: JobStatus, created: Bool) {
        let envelope = try JobRequest.envelope(body, limits: limits)
        let id = envelope.id ?? UUID().uuidString.lowercased()
        if envelope.id != nil, let existing = try await status(of: id) { return (existing, false) }
        let sent = try await queue.send(OutgoingMessage(body: body, jobID: id))
        if sent.duplicate, let existing = try await status(of: id) { return (existing, false) }
        return (JobStatus(id: id, state: .queued, attempts: 0, response: nil), true)
    }

    /// The status of a job: succeeded (a success record), else queued or running (a live
    /// message), else failed (a failure record or a dead letter); nil when unknown.
    public func status(of id: String) async throws -> JobStatus? {
        if let done = try await success.outcomes(for: [id])[id] {
            return JobStatus(id: id, state: .succeeded, attempts: done.attempts, response: done.response)
        }
        let state = try await queue.state(ofJob: id)
        switch state {
        case .queued(let n)?: return JobStatus(id: id, state: .queued, attempts: n, response: nil)
        case .inFlight(let n)?: return JobStatus(id: id, state: .running, attempts: n, response: nil)
        case .deadLettered, nil: break
        }
        if let failed = try await failure.outcomes(for: [id])[id] {
            return JobStatus(id: id, state: .failed, attempts: failed.attempts, response: failed.response)
        }
        // The job may have ended between the first read and the queue's: a message is deleted
        // only once its record exists, so the record is there now.
        if state == nil, let done = try await success.outcomes(for: [id])[id] {
            return JobStatus(id: id, state: .succeeded, attempts: done.attempts, response: done.response)
        }
        if case .deadLettered(let n)? = state { return JobStatus(id: id, state: .failed, attempts: n, response: nil) }
        return nil
    }
}
