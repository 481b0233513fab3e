#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prices a month of jobs two ways, from measured per-job compute and a traffic profile:
/// (i) always-on instances sized for the peak (the synchronous `serve` deployment), and (ii)
/// pay-per-use: SQS in front of Lambda (the asynchronous deployment of `Docs/deploy.md`). Then
/// finds the break-even: the average rate above which the always-on instances are cheaper.
///
/// The arithmetic, all of it here and tested by hand-checked cases (`CostModelTests`):
/// - **Always-on**: instances = max(``minimumInstances``, ⌈peak jobs/s × CPU s per job ÷
///   (vCPUs × ``targetUtilisation``)⌉, ⌈(memory at rest + peak jobs in flight × (the job's peak
///   − memory at rest)) ÷ instance MiB⌉); cost =
///   instances × price per hour × 730 h. Idle hours cost the same as busy ones.
/// - **Pay-per-use**: invocations = jobs ÷ ``batchSize`` (the event source mapping's batches);
///   billed seconds = jobs × CPU s ÷ min(vCPUs of the function, the job's parallelism) +
///   invocations × ``invocationOverheadSeconds`` + cold starts × ``initSeconds``; cost =
///   billed seconds × ``memoryMiB(for:)``/1024 GB × price per GB-s + invocations × price per
///   request + SQS requests × price per request. SQS requests per job: the send (one per 64 KiB
///   chunk of the request), a receive and a delete per batch (⌈batch bytes / 64 KiB⌉ for the
///   receive), and the success record's send (its chunks); plus ``pollerRequestsPerMonth`` (the
///   event source mapping's long polls, billed when the queue is empty too). Cold starts =
///   ``coldStartFraction`` × invocations.
/// A Lambda function has one vCPU per 1,769 MB of memory (AWS's documented ratio), so its
/// memory (``lambdaMemoryMiB``, raised to 1.2 × a job's measured peak where that is more) sets
/// its speed as well as its price.
public struct CostModel: Codable, Sendable, Hashable {
    /// Hours in the month the model prices (365 × 24 / 12).
    public static let hoursPerMonth = 730.0
    /// Memory per vCPU of a Lambda function, MB.
    public static let lambdaMBPerVCPU = 1_769.0

    /// The prices the bills are computed with.
    public var prices: PriceList
    /// The function's configured memory, MiB (MB as Lambda counts it): the least it is given;
    /// a job whose process peaks higher gets ``memoryMiB(for:)``.
    public var lambdaMemoryMiB: Double
    /// The function's resident memory at rest, MiB (measured): no job can be given less.
    public var restMemoryMiB: Double
    /// Messages per invocation (the event source mapping's batch size; SciLearn runs a batch's
    /// jobs one after another).
    public var batchSize: Int
    /// Billed time per invocation beyond the jobs' compute (measured: the Lambda adapter's
    /// per-batch overhead against the local Runtime API server).
    public var invocationOverheadSeconds: Double
    /// The init a cold start pays (measured: process start to the first answered invocation).
    public var initSeconds: Double
    /// The share of invocations that start a new execution environment.
    public var coldStartFraction: Double
    /// Receive requests the event source mapping makes in a month whatever the traffic (about
    /// five pollers long-polling 20 s each: 5 × 3 × 60 × 730).
    public var pollerRequestsPerMonth: Double
    /// The CPU share an always-on instance is sized to at the peak.
    public var targetUtilisation: Double
    /// Instances kept however low the traffic (2 for availability across zones).
    public var minimumInstances: Int

    /// A model with AWS us-east-1's prices and the suite's defaults.
    public init(prices: PriceList = .awsUSEast1, lambdaMemoryMiB: Double = 1_769, restMemoryMiB: Double = 0, batchSize: Int = 10,
                invocationOverheadSeconds: Double = 0.002, initSeconds: Double = 0.1, coldStartFraction: Double = 0.001,
                pollerRequestsPerMonth: Double = 5 * 3 * 60 * 730, targetUtilisation: Double = 0.7, minimumInstances: Int = 2) {
        self.prices = prices
        self.lambdaMemoryMiB = lambdaMemoryMiB
        self.restMemoryMiB = restMemoryMiB
        self.batchSize = max(1, batchSize)
        self.invocationOverheadSeconds = invocationOverheadSeconds
        self.initSeconds = initSeconds
        self.coldStartFraction = coldStartFraction
        self.pollerRequestsPerMonth = pollerRequestsPerMonth
        self.targetUtilisation = targetUtilisation
        self.minimumInstances = max(1, minimumInstances)
    }

    /// A month's bill on always-on instances.
    public struct AlwaysOn: Codable, Sendable, Hashable {
        public var instances: Int
        public var dollars: Double
    }

    /// A month's bill on SQS + Lambda, by line.
    public struct PayPerUse: Codable, Sendable, Hashable {
        public var invocations: Double
        public var billedSeconds: Double
        public var gbSeconds: Double
        public var sqsRequests: Double
        public var lambdaDuration: Double
        public var lambdaRequests: Double
        public var sqs: Double
        public var dollars: Double { lambdaDuration + lambdaRequests + sqs }
    }

    /// Always-on instances for `traffic`'s peak.
    public func alwaysOn(_ job: JobProfile, _ traffic: TrafficProfile) -> AlwaysOn {
        let cpu = traffic.peakJobsPerSecond * job.cpuSeconds / (Double(prices.instanceVCPUs) * targetUtilisation)
        let inFlight = traffic.peakJobsPerSecond * job.wallSeconds
        let memory = (restMemoryMiB + inFlight * max(0, job.peakMemoryMiB - restMemoryMiB)) / (prices.instanceMemoryGiB * 1_024)
        let instances = max(minimumInstances, Int(cpu.rounded(.up)), Int(memory.rounded(.up)))
        return AlwaysOn(instances: instances, dollars: Double(instances) * prices.instancePerHour * Self.hoursPerMonth)
    }

    /// Lambda's largest memory, MB, and the vCPUs it comes with.
    public static let lambdaMaxMemoryMiB = 10_240.0, lambdaMaxVCPUs = 6.0

    /// The function's memory for `job`: the configured memory, or 1.2 × the job's peak (the
    /// process's, at rest memory included, and never below ``restMemoryMiB``) when that is
    /// more; at most Lambda's 10,240 MB.
    public func memoryMiB(for job: JobProfile) -> Double {
        min(Self.lambdaMaxMemoryMiB, max(lambdaMemoryMiB, 1.2 * max(job.peakMemoryMiB, restMemoryMiB)))
    }

    /// The function's seconds for one job: its CPU time over the vCPUs it can use (one per
    /// 1,769 MB, at most six, at most the job's own parallelism).
    public func lambdaSeconds(_ job: JobProfile) -> Double {
        job.cpuSeconds / min(memoryMiB(for: job) / Self.lambdaMBPerVCPU, Self.lambdaMaxVCPUs, job.parallelism)
    }

    /// SQS requests one job makes (send, its share of a batch's receive and delete, the record).
    public func sqsRequestsPerJob(_ job: JobProfile) -> Double {
        let chunk = Double(prices.sqsChunkBytes), b = Double(batchSize)
        let send = max(1, (Double(job.requestBytes) / chunk).rounded(.up))
        let receive = max(1, (Double(job.requestBytes) * b / chunk).rounded(.up)) / b
        let delete = 1 / b
        let record = max(1, (Double(job.resultBytes) / chunk).rounded(.up))
        return send + receive + delete + record
    }

    /// A month of `traffic` on SQS + Lambda.
    public func payPerUse(_ job: JobProfile, _ traffic: TrafficProfile) -> PayPerUse {
        let jobs = traffic.jobsPerMonth
        let invocations = (jobs / Double(batchSize)).rounded(.up)
        let billed = jobs * lambdaSeconds(job) + invocations * invocationOverheadSeconds + coldStartFraction * invocations * initSeconds
        let gbs = billed * memoryMiB(for: job) / 1_024
        let sqsRequests = jobs * sqsRequestsPerJob(job) + pollerRequestsPerMonth
        return PayPerUse(invocations: invocations, billedSeconds: billed, gbSeconds: gbs, sqsRequests: sqsRequests,
                         lambdaDuration: gbs * prices.lambdaPerGBSecond, lambdaRequests: invocations * prices.lambdaPerRequest,
                         sqs: sqsRequests * prices.sqsPerRequest)
    }

    /// The lowest average rate (jobs per hour, at `burstiness`) at which always-on instances cost
    /// no more than pay-per-use, searched up to `limit` jobs per hour; nil when pay-per-use is
    /// cheaper all the way there. The always-on bill is a staircase (whole instances) and the
    /// pay-per-use one a line, so the first crossing is found by a scan over rates a factor
    /// 1.01 apart and bisection inside the interval where it happens (a window where always-on
    /// is cheaper narrower than 1 % of the rate can be missed).
    public func breakEven(_ job: JobProfile, burstiness: Double, limit: Double = 1e9) -> Double? {
        func cheaperAlwaysOn(_ rate: Double) -> Bool {
            let t = TrafficProfile(jobsPerHour: rate, burstiness: burstiness)
            return alwaysOn(job, t).dollars <= payPerUse(job, t).dollars
        }
        var low = 1.0
        if cheaperAlwaysOn(low) { return low }
        while low < limit {
            defer { low = min(low * 1.01, limit) }
            let high = min(low * 1.01, limit)
            if cheaperAlwaysOn(high) {
                var (a, b) = (low, high)
                for _ in 0..<60 {
                    let mid = 0.5 * (a + b)
                    if cheaperAlwaysOn(mid) { b = mid } else { a = mid }
                }
                return b
            }
        }
        return nil
    }
}
