import ArgumentParser
import Foundation
import SciLearnBench

/// `scilearn bench cost`: prices the transport suite's measurements (or one job given by flags)
/// on always-on instances sized for the peak against SQS + Lambda, and prints the break-even
/// rate for each job size and burstiness (`Docs/benchmarks.md`, "Sync versus async").
struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Price a month of jobs on always-on instances and on SQS + Lambda, and print the break-even.",
        discussion: """
        Job figures come from --measurements (the costs-input.json the transport suite writes) or from \
        --cpu-seconds, --wall-seconds, --peak-mib, --request-bytes and --result-bytes. Prices default to AWS \
        us-east-1's list prices as entered on \(PriceList.awsUSEast1.date); every one is a flag.
        """
    )

    @Option(help: "The transport suite's costs-input.json.") var measurements: String?
    @Option(help: "One job: CPU seconds per job.") var cpuSeconds: Double?
    @Option(help: "One job: wall seconds per job, in-process.") var wallSeconds: Double?
    @Option(help: "One job: peak memory, MiB.") var peakMib: Double = 64
    @Option(help: "One job: request bytes.") var requestBytes: Int = 1_000
    @Option(help: "One job: success record bytes.") var resultBytes: Int = 1_000
    @Option(help: "Burstiness values (peak rate / average rate), comma-separated.") var burstiness: String = "1,10,100"
    @Option(help: "Lambda memory, MB (1,769 MB is one vCPU).") var lambdaMemory: Double = 1_769
    @Option(help: "Messages per Lambda invocation (the event source mapping's batch size).") var batchSize: Int = 10
    @Option(help: "Share of invocations that are cold starts.") var coldStartFraction: Double = 0.001
    @Option(help: "Always-on instances kept at any traffic.") var minimumInstances: Int = 2
    @Option(help: "CPU share an instance is sized to at the peak.") var targetUtilisation: Double = 0.7
    @Option(help: "Lambda price per GB-second.") var lambdaGbSecond: Double = PriceList.awsUSEast1.lambdaPerGBSecond
    @Option(help: "Lambda price per request.") var lambdaRequest: Double = PriceList.awsUSEast1.lambdaPerRequest
    @Option(help: "SQS price per request (64 KiB chunk).") var sqsRequest: Double = PriceList.awsUSEast1.sqsPerRequest
    @Option(help: "Always-on instance type (a label).") var instanceType: String = PriceList.awsUSEast1.instanceType
    @Option(help: "Always-on instance price per hour.") var instanceHour: Double = PriceList.awsUSEast1.instancePerHour
    @Option(help: "Always-on instance vCPUs.") var instanceVcpus: Int = PriceList.awsUSEast1.instanceVCPUs
    @Option(help: "Always-on instance memory, GiB.") var instanceMemory: Double = PriceList.awsUSEast1.instanceMemoryGiB
    @Option(help: "The prices' date (a label).") var pricesDate: String = PriceList.awsUSEast1.date
    @Flag(help: "Print JSON instead of tables.") var json = false

    func validate() throws {
        if measurements == nil && (cpuSeconds == nil || wallSeconds == nil) {
            throw ValidationError("give --measurements FILE, or --cpu-seconds and --wall-seconds for one job")
        }
        for (name, v) in [("--cpu-seconds", cpuSeconds ?? 1), ("--wall-seconds", wallSeconds ?? 1), ("--lambda-memory", lambdaMemory),
                          ("--instance-hour", instanceHour), ("--target-utilisation", targetUtilisation)] where !(v > 0) || !v.isFinite {
            throw ValidationError("\(name) must be a positive number; got \(v)")
        }
        for (name, v) in [("--peak-mib", peakMib), ("--instance-memory", instanceMemory), ("--lambda-gb-second", lambdaGbSecond),
                          ("--lambda-request", lambdaRequest), ("--sqs-request", sqsRequest)] where !(v >= 0) || !v.isFinite {
            throw ValidationError("\(name) must be a number >= 0; got \(v)")
        }
        if !(instanceMemory > 0) { throw ValidationError("--instance-memory must be more than 0 GiB; got \(instanceMemory)") }
        if instanceVcpus < 1 || instanceVcpus > 1_024 { throw ValidationError("--instance-vcpus must be in 1...1024; got \(instanceVcpus)") }
        if !(targetUtilisation <= 1) { throw ValidationError("--target-utilisation is a share of the CPU, in (0, 1]; got \(targetUtilisation)") }
        if minimumInstances < 1 || minimumInstances > 100_000 { throw ValidationError("--minimum-instances must be in 1...100000; got \(minimumInstances)") }
        if requestBytes < 0 || resultBytes < 0 { throw ValidationError("--request-bytes and --result-bytes must be >= 0") }
        if batchSize < 1 || batchSize > 10_000 { throw ValidationError("--batch-size must be in 1...10000; got \(batchSize)") }
        if !(0...1).contains(coldStartFraction) { throw ValidationError("--cold-start-fraction must be in [0, 1]; got \(coldStartFraction)") }
        if try burstinessValues().isEmpty { throw ValidationError("--burstiness needs at least one value") }
    }

    func burstinessValues() throws -> [Double] {
        try burstiness.split(separator: ",").map { part in
            guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v >= 1, v.isFinite else {
                throw ValidationError("--burstiness: '\(part)' is not a number ≥ 1")
            }
            return v
        }
    }

    func run() throws {
        var model = CostModel(
            prices: PriceList(date: pricesDate, region: PriceList.awsUSEast1.region, lambdaPerGBSecond: lambdaGbSecond,
                              lambdaPerRequest: lambdaRequest, sqsPerRequest: sqsRequest, sqsChunkBytes: 65_536, instanceType: instanceType,
                              instancePerHour: instanceHour, instanceVCPUs: instanceVcpus, instanceMemoryGiB: instanceMemory),
            lambdaMemoryMiB: lambdaMemory, batchSize: batchSize, coldStartFraction: coldStartFraction,
            targetUtilisation: targetUtilisation, minimumInstances: minimumInstances)
        var jobs: [JobProfile]
        if let measurements {
            let inputs: CostInputs
            do {
                inputs = try JSONDecoder().decode(CostInputs.self, from: Data(contentsOf: URL(fileURLWithPath: measurements)))
            } catch {
                throw ValidationError("--measurements \(measurements): \(error)")
            }
            for job in inputs.jobs {
                for (name, v) in [("cpuSeconds", job.cpuSeconds), ("wallSeconds", job.wallSeconds), ("peakMemoryMiB", job.peakMemoryMiB)]
                where !(v > 0) || !v.isFinite {
                    throw ValidationError("--measurements \(measurements): job \(job.name): \(name) must be a positive number; got \(v)")
                }
            }
            for (name, v) in [("initSeconds", inputs.initSeconds), ("invocationOverheadSeconds", inputs.invocationOverheadSeconds),
                              ("restMemoryMiB", inputs.restMemoryMiB)] where !(v >= 0) || !v.isFinite {
                throw ValidationError("--measurements \(measurements): \(name) must be a number >= 0; got \(v)")
            }
            jobs = inputs.jobs
            model.initSeconds = inputs.initSeconds
            model.invocationOverheadSeconds = inputs.invocationOverheadSeconds
            model.restMemoryMiB = inputs.restMemoryMiB
        } else {
            jobs = [JobProfile(name: "job", cpuSeconds: cpuSeconds!, wallSeconds: wallSeconds!, peakMemoryMiB: peakMib,
                               requestBytes: requestBytes, resultBytes: resultBytes)]
        }
        let bursts = try burstinessValues()
        struct Row: Codable { var job: String; var memoryMiB: Double; var burstiness: Double; var breakEvenJobsPerHour: Double?
            var perJobPayPerUse: Double; var instancesAtBreakEven: Int? }
        var rows: [Row] = []
        for job in jobs {
            let perJob = model.payPerUse(job, TrafficProfile(jobsPerHour: 1e6, burstiness: 1)).dollars / (1e6 * CostModel.hoursPerMonth)
            for b in bursts {
                let rate = model.breakEven(job, burstiness: b)
                let instances = rate.map { model.alwaysOn(job, TrafficProfile(jobsPerHour: $0, burstiness: b)).instances }
                rows.append(Row(job: job.name, memoryMiB: model.memoryMiB(for: job), burstiness: b, breakEvenJobsPerHour: rate, perJobPayPerUse: perJob, instancesAtBreakEven: instances))
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(["model": AnyEncodable(model), "rows": AnyEncodable(rows)]), as: UTF8.self))
            return
        }
        print("Prices: \(model.prices.region) as of \(model.prices.date); Lambda \(Int(model.lambdaMemoryMiB)) MB, batches of \(model.batchSize), init \(String(format: "%.3f", model.initSeconds)) s, \(String(format: "%.1f", model.restMemoryMiB)) MiB at rest, \(String(format: "%.1f", model.invocationOverheadSeconds * 1e3)) ms per invocation, \(model.coldStartFraction * 100)% cold; \(model.minimumInstances)+ × \(model.prices.instanceType) at $\(model.prices.instancePerHour)/h sized to \(Int(model.targetUtilisation * 100))% at the peak")
        print("| job | function memory | burstiness | pay-per-use per job | always-on cheaper above (jobs/hour) | instances there |")
        print("| --- | --- | --- | --- | --- | --- |")
        for r in rows {
            let rate = r.breakEvenJobsPerHour.map { String(format: "%.0f", $0) } ?? "never (below 1e9)"
            print("| \(r.job) | \(Int(r.memoryMiB)) MB | \(String(format: "%g", r.burstiness))× | $\(String(format: "%.3g", r.perJobPayPerUse)) | \(rate) | \(r.instancesAtBreakEven.map(String.init) ?? "-") |")
        }
        let grid = [100.0, 1_000, 10_000, 100_000, 1_000_000], burst = bursts.count > 1 ? bursts[1] : bursts[0]
        print("")
        print("Monthly bills at \(String(format: "%g", burst))× burstiness (always-on / pay-per-use, USD):")
        print("| job | " + grid.map { "\(Int($0)) jobs/h" }.joined(separator: " | ") + " |")
        print("| --- |" + String(repeating: " --- |", count: grid.count))
        for job in jobs {
            let cells = grid.map { rate -> String in
                let t = TrafficProfile(jobsPerHour: rate, burstiness: burst)
                return String(format: "%.0f / %.0f", model.alwaysOn(job, t).dollars, model.payPerUse(job, t).dollars)
            }
            print("| \(job.name) | " + cells.joined(separator: " | ") + " |")
        }
    }
}

/// Type erasure for the JSON output's mixed values.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
