import Foundation
import Synchronization

/// Drives a transport: closed loop (N callers, each submitting its next job when the last one is
/// readable) for throughput and latency at a concurrency, and open loop (jobs arriving on a
/// schedule whatever the answers) for the traffic profiles.
enum LoadRunner {
    /// One cell of the sweep.
    struct Cell: Codable, Sendable {
        var path: String, job: String
        var concurrency: Int
        /// Jobs that succeeded (the throughput and latency are theirs), and that failed.
        var completed: Int, failed: Int, refusals: Int
        var seconds: Double
        /// Successful jobs per second (goodput).
        var jobsPerSecond: Double
        var latency: LatencySummary
        var distribution: [[Double]]
    }

    static func stamp() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// One job, given up (as failed) after `timeout` seconds so that a lost record cannot hang
    /// the suite; a transport error is a failed job too.
    static func bounded(_ transport: any Transport, id: String, body: [UInt8], timeout: Double = 300) async -> JobOutcome {
        await withTaskGroup(of: JobOutcome?.self) { group in
            group.addTask { (try? await transport.run(id: id, body: body)) ?? JobOutcome(ok: false) }
            group.addTask { try? await Task.sleep(for: .seconds(timeout)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? JobOutcome(ok: false)
        }
    }

    /// `concurrency` callers run jobs until `maxJobs` have been started or `maxSeconds` have passed,
    /// then wait for what is in flight.
    static func closedLoop(_ transport: any Transport, job: JobMix.Job, concurrency: Int, maxJobs: Int, maxSeconds: Double, tag: String) async throws -> Cell {
        let histogram = LatencyHistogram()
        let started = Counter(), failed = Counter(), refused = Counter(), done = Counter()
        let t0 = stamp()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while true {
                        let n = started.add()
                        if n >= maxJobs || stamp() - t0 > maxSeconds { return }
                        let id = "\(tag)-\(n)"
                        let a = stamp()
                        let outcome = await bounded(transport, id: id, body: job.body(id: id))
                        if outcome.ok { histogram.record(seconds: stamp() - a); done.add(1) } else { failed.add(1) }
                        refused.add(outcome.refusals)
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = stamp() - t0
        let completed = done.current
        return Cell(path: transport.name, job: job.name, concurrency: concurrency, completed: completed, failed: failed.current,
                    refusals: refused.current, seconds: seconds, jobsPerSecond: Double(completed) / seconds,
                    latency: histogram.summary, distribution: histogram.distribution)
    }

    /// A phase of a traffic profile: `seconds` of arrivals at `rate` jobs a second (evenly spaced).
    struct Phase: Codable, Sendable {
        var name: String
        var seconds: Double
        var rate: Double
    }

    /// A traffic profile's run on one path.
    struct ProfileRun: Codable, Sendable {
        var path: String, job: String
        var phases: [Phase]
        /// Per phase (by arrival): latency of the jobs that arrived in it and succeeded.
        var latency: [String: LatencySummary]
        /// (seconds since start, jobs submitted and not yet readable), every 250 ms.
        var outstanding: [[Double]]
        /// (second, jobs that became readable in it).
        var completedPerSecond: [[Double]]
        /// Jobs submitted; answered (succeeded or failed); failed; never answered before the
        /// drain limit (left out of the latencies, which are therefore too low by them).
        var submitted: Int, completed: Int, failed: Int, refusals: Int, unanswered: Int
        /// From the end of the burst until the outstanding count was back to its level before it.
        var drainSeconds: Double?
        var peakOutstanding: Int
    }

    /// Runs `phases` on `transport`, then waits (at most `drainLimit` s) for every job to be readable.
    static func openLoop(_ transport: any Transport, job: JobMix.Job, phases: [Phase], burstPhase: String, drainLimit: Double, tag: String) async throws -> ProfileRun {
        let histograms = Dictionary(uniqueKeysWithValues: phases.map { ($0.name, LatencyHistogram()) })
        let outstanding = Counter(), failed = Counter(), refused = Counter(), completed = Counter()
        let completions = Shared<[Int: Int]>([:])
        let samples = Shared<[[Double]]>([])
        let t0 = stamp()
        let sampler = Task {
            while !Task.isCancelled {
                let t = stamp() - t0
                samples.withLock { $0.append([t, Double(outstanding.current)]) }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        var submitted = 0
        var burstEnd: Double? = nil, levelBefore = 0
        var phaseStart = 0.0
        for phase in phases {
            if phase.name == burstPhase { levelBefore = outstanding.current }
            let count = Int((phase.seconds * phase.rate).rounded())
            for k in 0..<count {
                let due = phaseStart + Double(k) / phase.rate
                let wait = due - (stamp() - t0)
                if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
                let id = "\(tag)-\(submitted)"
                submitted += 1
                let histogram = histograms[phase.name]!
                outstanding.add(1)
                // Unstructured: a job still unanswered after the drain limit is left behind.
                Task {
                    let a = stamp()
                    let outcome = await bounded(transport, id: id, body: job.body(id: id), timeout: drainLimit + 600)
                    let b = stamp()
                    if outcome.ok { histogram.record(seconds: b - a) } else { failed.add(1) }
                    outstanding.add(-1)
                    completed.add(1)
                    refused.add(outcome.refusals)
                    completions.withLock { $0[Int(b - t0), default: 0] += 1 }
                }
            }
            phaseStart += phase.seconds
            let lag = phaseStart - (stamp() - t0)
            if lag > 0 { try await Task.sleep(for: .seconds(lag)) }
            if phase.name == burstPhase { burstEnd = stamp() - t0 }
        }
        let deadline = stamp() + drainLimit
        while outstanding.current > 0 && stamp() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(300))
        sampler.cancel()
        let series = samples.withLock { $0 }
        var drain: Double? = nil
        if let end = burstEnd, let back = series.first(where: { $0[0] >= end && Int($0[1]) <= max(levelBefore, 1) }) { drain = back[0] - end }
        let perSecond = completions.withLock { c in c.keys.sorted().map { [Double($0), Double(c[$0]!)] } }
        return ProfileRun(path: transport.name, job: job.name, phases: phases, latency: histograms.mapValues(\.summary), outstanding: series,
                          completedPerSecond: perSecond, submitted: submitted, completed: completed.current,
                          failed: failed.current, refusals: refused.current, unanswered: outstanding.current, drainSeconds: drain,
                          peakOutstanding: Int(series.map { $0[1] }.max() ?? 0))
    }
}
