import ArgumentParser
import Foundation
import SciLearnBench
import SciLearnService
#if canImport(Glibc)
import Glibc
#endif

/// The transport suite's driver (issue 24): the same jobs through (a) `SciLearnService` in
/// process, (b) `POST /v1/run`, (c) `POST /v1/jobs` on the embedded queue, (d) the SQS backend
/// on `moto_server` and (e) the Lambda adapter fed SQS batches by a local Runtime API server.
/// `Benchmarks/transport/suite.py` prepares the data, starts moto, runs this and plots what it
/// writes.
@main
struct TransportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transport-bench",
                                                    abstract: "Throughput, latency, traffic profiles and start-up of every way of calling SciLearn.")

    @Option(help: "The scilearn binary (release).") var scilearn: String
    @Option(help: "The data folder: jobs/*.json templates and the .npy files they name.") var dataDir: String
    @Option(help: "A folder for logs and queue files.") var runDir: String
    @Option(help: "moto_server's endpoint.") var sqsEndpoint: String
    @Option(help: "Where the results go (JSON).") var out: String
    @Option(help: "Where the cost model's inputs go (JSON).") var costsOut: String
    @Option(help: "Paths to run, comma-separated.") var paths = "inprocess,http,queue,sqs,lambda"
    @Option(help: "Jobs, comma-separated.") var jobs = "small-ols,small-ttest,medium-kmeans,large-pca"
    @Option(help: "Concurrency levels.") var concurrency = "1,4,16,64"
    @Option(help: "Paths that get the traffic profile.") var profilePaths = "http,queue,sqs,lambda"
    @Option(help: "Seconds of the burst (10x the steady rate).") var burstSeconds: Double = 60
    @Option(help: "Seconds per sweep cell at most (small jobs; medium 1.5x, large 4x).") var cellSeconds: Double = 2
    @Option(help: "The machine, for the results.") var machine = "unknown"

    var limits: ServiceLimits { ServiceLimits(maxCells: 200_000_000, maxJobMemoryBytes: 16e9, maxJobWork: 1e13) }
    var limitArguments: [String] { ["--max-cells", "200000000", "--max-job-memory", "16e9", "--max-job-work", "1e13", "--data-root", dataDir] }
    var lambdaLimits: [String: String] { ["SCILEARN_MAX_CELLS": "200000000", "SCILEARN_MAX_JOB_MEMORY": "16e9", "SCILEARN_MAX_JOB_WORK": "1e13"] }

    struct Results: Codable {
        var machine: String, date: String
        var profiles: [JobProfile]
        var startup: Startup
        /// moto's SendMessage latency for the first job's success record (ms, 50 calls): the
        /// queue hop in the SQS and Lambda paths' figures, which real SQS would replace.
        var motoSend: LatencySummary
        var sweep: [LoadRunner.Cell]
        var traffic: [LoadRunner.ProfileRun]
        var suiteSeconds: Double
    }

    struct Startup: Codable {
        /// Process start to the first answered invocation, seconds (each run).
        var firstInvocationSeconds: [Double]
        /// Resident memory at rest after it, MiB (each run).
        var restMiB: [Double]
    }

    func run() async throws {
        let t0 = LoadRunner.stamp()
        try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
        let names = jobs.split(separator: ",").map(String.init)
        let mix = try JobMix(directory: dataDir, names: names)
        let levels = concurrency.split(separator: ",").compactMap { Int($0) }
        let wanted = Set(paths.split(separator: ",").map(String.init))
        let inProcess = try InProcessTransport(dataRoot: dataDir, limits: limits)

        log("profiling the jobs in process")
        var profiles: [JobProfile] = []
        for name in names { profiles.append(try await profile(mix[name], inProcess)) }
        for p in profiles { log("  \(p.name): \(fmt(p.wallSeconds * 1e3)) ms wall, \(fmt(p.cpuSeconds * 1e3)) ms CPU, \(fmt(p.peakMemoryMiB)) MiB peak") }

        log("Lambda adapter start-up")
        let startup = try await measureStartup(mix[names[0]])
        log("  first invocation \(startup.firstInvocationSeconds.map { fmt($0 * 1e3) }) ms, rest \(startup.restMiB.map(fmt)) MiB")

        let motoSend = try await measureMotoSend(bytes: profiles[0].resultBytes)
        log("moto SendMessage of \(profiles[0].resultBytes) bytes: p50 \(fmt(motoSend.p50)) ms, p99 \(fmt(motoSend.p99)) ms")

        var sweep: [LoadRunner.Cell] = []
        for path in ["inprocess", "http", "queue", "sqs", "lambda"] where wanted.contains(path) {
            log("sweep: \(path)")
            sweep += try await sweepPath(path, mix: mix, names: names, levels: levels, inProcess: inProcess)
        }

        var traffic: [LoadRunner.ProfileRun] = []
        let profileJob = mix[names[0]]
        for path in ["http", "queue", "sqs", "lambda"] where Set(profilePaths.split(separator: ",").map(String.init)).contains(path) {
            let capacity = sweep.filter { $0.path == path && $0.job == profileJob.name }.map(\.jobsPerSecond).max() ?? 100
            let rate = max(1, (0.15 * capacity).rounded())
            log("traffic profile: \(path), steady \(rate)/s, burst \(10 * rate)/s for \(burstSeconds) s")
            let transport = try await makeTransport(path, instances: 8, inProcess: inProcess, httpTries: 1)
            let phases = [LoadRunner.Phase(name: "steady", seconds: 5, rate: rate),
                          LoadRunner.Phase(name: "burst", seconds: burstSeconds, rate: 10 * rate),
                          LoadRunner.Phase(name: "recovery", seconds: 15, rate: rate),
                          LoadRunner.Phase(name: "idle", seconds: 10, rate: 0),
                          LoadRunner.Phase(name: "after-idle", seconds: 5, rate: rate)]
            let run = try await LoadRunner.openLoop(transport, job: profileJob, phases: phases, burstPhase: "burst", drainLimit: 30, tag: "p-\(path)")
            await transport.close()
            log("  peak outstanding \(run.peakOutstanding), drained \(run.drainSeconds.map(fmt) ?? "-") s after the burst, refusals \(run.refusals), failed \(run.failed)")
            traffic.append(run)
        }

        // The Lambda path's time per invocation beyond the job: its one-at-a-time latency over
        // the in-process call's, for the first (small) job.
        func p50(_ path: String) -> Double? { sweep.first { $0.path == path && $0.job == names[0] && $0.concurrency == 1 }?.latency.p50 }
        let overhead = max(0, ((p50("lambda") ?? 0) - (p50("inprocess") ?? 0)) / 1e3)
        let restMiB = median(startup.restMiB)
        // The init a cold start adds: the first answered invocation less its job's own time (the
        // in-process wall) and one record send (moto's median).
        let initSeconds = max(0, median(startup.firstInvocationSeconds) - profiles[0].wallSeconds - motoSend.p50 / 1e3)
        let inputs = CostInputs(jobs: profiles, initSeconds: initSeconds, invocationOverheadSeconds: overhead,
                                restMemoryMiB: restMiB, machine: machine, date: Self.today())
        let results = Results(machine: machine, date: Self.today(), profiles: profiles, startup: startup, motoSend: motoSend, sweep: sweep, traffic: traffic,
                              suiteSeconds: LoadRunner.stamp() - t0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(results).write(to: URL(fileURLWithPath: out))
        try encoder.encode(inputs).write(to: URL(fileURLWithPath: costsOut))
        log("done in \(fmt(LoadRunner.stamp() - t0)) s")
        Foundation.exit(0)
    }

    static func today() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }

    func log(_ s: String) { FileHandle.standardError.write(Data("transport-bench: \(s)\n".utf8)) }
    func fmt(_ v: Double) -> String { String(format: v < 10 ? "%.3g" : "%.0f", v) }
    func median(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.sorted()[v.count / 2] }

    /// CPU seconds of this process so far (user + system, all threads).
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// One job in process: wall and CPU per job over sequential runs, the success record's size
    /// (about the response and the request it carries), and the peak resident memory of a
    /// `scilearn run` process of its own running the job (`wait4`'s maximum resident set).
    func profile(_ job: JobMix.Job, _ transport: InProcessTransport) async throws -> JobProfile {
        let body = job.body(id: "profile-\(job.name)")
        let first = transport.service.run(body: body, assignedID: "profile")
        guard first.errorCode == nil else { throw BenchError("\(job.name) fails in process: \(first.json.prefix(400))") }
        let resultBytes = first.json.utf8.count + body.count + 200
        var repeats = 3
        let single = LoadRunner.stamp()
        _ = transport.service.run(body: body)
        let once = LoadRunner.stamp() - single
        repeats = max(3, min(200, Int(2.0 / max(once, 1e-4))))
        let c0 = Self.cpuSeconds(), w0 = LoadRunner.stamp()
        for _ in 0..<repeats { _ = transport.service.run(body: body) }
        let wall = (LoadRunner.stamp() - w0) / Double(repeats), cpu = (Self.cpuSeconds() - c0) / Double(repeats)
        let file = "\(runDir)/profile-\(job.name).json"
        _ = FileManager.default.createFile(atPath: file, contents: Data(body))
        let (status, peak) = try ChildProcess.peakResident(scilearn, ["run", file] + limitArguments)
        guard status == 0 else { throw BenchError("scilearn run \(file) exited \(status)") }
        return JobProfile(name: job.name, cpuSeconds: cpu, wallSeconds: wall, peakMemoryMiB: peak, requestBytes: body.count, resultBytes: resultBytes)
    }

    /// 50 `SendMessage` calls of `bytes` to moto, one at a time.
    func measureMotoSend(bytes: Int) async throws -> LatencySummary {
        let sqs = SQSTransport.client(endpoint: sqsEndpoint)
        let queue = try await SQSTransport.createQueue(sqs, "bench-moto-send")
        let text = String(repeating: "x", count: bytes), histogram = LatencyHistogram()
        for _ in 0..<50 {
            let a = LoadRunner.stamp()
            _ = try await sqs.call("SendMessage", ["QueueUrl": .string(queue), "MessageBody": .string(text)])
            histogram.record(seconds: LoadRunner.stamp() - a)
        }
        return histogram.summary
    }

    /// Five cold starts of one function instance, each with a job already queued.
    func measureStartup(_ job: JobMix.Job) async throws -> Startup {
        var first: [Double] = [], rest: [Double] = []
        let sqs = SQSTransport.client(endpoint: sqsEndpoint)
        let success = try await SQSTransport.createQueue(sqs, "bench-startup-success"), failure = try await SQSTransport.createQueue(sqs, "bench-startup-failure")
        for i in 0..<5 {
            let api = EventSourceRuntimeAPI(batchSize: 10)
            let (elapsed, resident) = try await api.serve { address in
                let id = "startup-\(i)"
                await api.enqueue(id: id, body: job.body(id: id))
                let env = LambdaTransport.environment(api: address, endpoint: sqsEndpoint, success: success, failure: failure, dataRoot: dataDir, limits: lambdaLimits)
                let t = LoadRunner.stamp()
                let instance = try ChildProcess(scilearn, [], environment: env, log: "\(runDir)/startup-\(i).log", name: "lambda")
                let answered = await withTaskGroup(of: Bool.self) { group in
                    group.addTask { await api.completions.wait(id) }
                    group.addTask { try? await Task.sleep(for: .seconds(60)); return false }
                    let first = await group.next() ?? false
                    group.cancelAll()
                    return first
                }
                guard answered else { instance.stop(); throw BenchError("a function instance did not answer its first invocation within 60 s (\(runDir)/startup-\(i).log)") }
                let elapsed = LoadRunner.stamp() - t
                try await Task.sleep(for: .milliseconds(500))
                let resident = instance.residentMiB ?? 0
                instance.stop()
                return (elapsed, resident)
            }
            first.append(elapsed)
            rest.append(resident)
        }
        return Startup(firstInvocationSeconds: first, restMiB: rest)
    }

    /// A transport of `path` (Lambda with `instances` function instances).
    func makeTransport(_ path: String, instances: Int, inProcess: InProcessTransport, httpTries: Int = 8) async throws -> any Transport {
        switch path {
        case "inprocess": return inProcess
        case "http": return try await HTTPRunTransport(scilearn: scilearn, serveArguments: limitArguments, logDirectory: runDir, tries: httpTries)
        case "queue": return try await EmbeddedQueueTransport(scilearn: scilearn, serveArguments: limitArguments, workerConcurrency: 2, runDirectory: runDir)
        case "sqs": return try await SQSTransport(scilearn: scilearn, endpoint: sqsEndpoint, workerArguments: limitArguments, concurrency: 2, runDirectory: runDir)
        case "lambda": return try await LambdaPath.start(self, instances: instances)
        default: throw BenchError("unknown path \(path)")
        }
    }

    func sweepPath(_ path: String, mix: JobMix, names: [String], levels: [Int], inProcess: InProcessTransport) async throws -> [LoadRunner.Cell] {
        var cells: [LoadRunner.Cell] = []
        // Lambda: one function instance per caller, as the event source mapping scales out; the
        // others keep one server or worker (two job slots, the machine's cores) for every level.
        var shared: (any Transport)? = path == "lambda" ? nil : try await makeTransport(path, instances: 0, inProcess: inProcess)
        for level in levels {
            let transport: any Transport
            if let shared { transport = shared } else { transport = try await makeTransport(path, instances: level, inProcess: inProcess) }
            for name in names {
                let large = name.hasPrefix("large"), medium = name.hasPrefix("medium")
                if large && level > 4 { continue }   // 16 or 64 copies of an 800 MB table at once: not on 24 GiB
                let job = mix[name]
                let (maxJobs, seconds) = large ? (level + 2, 4 * cellSeconds) : medium ? (max(12, 3 * level), 1.5 * cellSeconds) : (5_000, cellSeconds)
                let cell = try await LoadRunner.closedLoop(transport, job: job, concurrency: level, maxJobs: maxJobs, maxSeconds: seconds, tag: "\(path)-\(name)-\(level)")
                log("  \(name) ×\(level): \(fmt(cell.jobsPerSecond)) jobs/s, p50 \(fmt(cell.latency.p50)) ms, p99 \(fmt(cell.latency.p99)) ms, failed \(cell.failed), refusals \(cell.refusals)")
                cells.append(cell)
            }
            if shared == nil { await transport.close() }
        }
        if let s = shared { await s.close(); shared = nil }
        return cells
    }
}
