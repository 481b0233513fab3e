import Testing
@testable import SciLearnBench

/// The cost model's arithmetic on cases worked by hand (each figure's derivation beside it).
@Suite struct CostModelTests {
    /// 10 ms of CPU on one thread, 10 MiB, a 100,000-byte request and a 1,000-byte record.
    static let job = JobProfile(name: "hand", cpuSeconds: 0.01, wallSeconds: 0.01, peakMemoryMiB: 10, requestBytes: 100_000, resultBytes: 1_000)

    @Test func aMonthAtTenTimesBurstIsPricedLineByLine() {
        let model = CostModel()   // us-east-1, 1,769 MiB, batches of 10, 2 ms per invocation, 0.1 s init, 0.1 % cold
        let traffic = TrafficProfile(jobsPerHour: 36_000, burstiness: 10)
        // 36,000 × 730 = 26,280,000 jobs; peak 36,000 × 10 / 3,600 = 100 jobs/s.
        #expect(traffic.jobsPerMonth == 26_280_000)
        #expect(traffic.peakJobsPerSecond == 100)
        // Always-on: 100 × 0.01 / (2 × 0.7) = 0.714 → 1 by CPU; 1 job in flight × 10 MiB → 1 by
        // memory; the minimum of 2 wins: 2 × $0.08925 × 730 = $130.305.
        let on = model.alwaysOn(Self.job, traffic)
        #expect(on.instances == 2)
        #expect(abs(on.dollars - 130.305) < 1e-9)
        // Pay-per-use: 2,628,000 invocations; billed 26,280,000 × 0.01 + 2,628,000 × 0.002 +
        // 0.001 × 2,628,000 × 0.1 = 262,800 + 5,256 + 262.8 = 268,318.8 s; × 1,769/1,024 GB =
        // 463,531.2082 GB-s × $0.0000166667 = $7.72554; requests 2,628,000 × $0.2e-6 = $0.5256.
        // SQS per job: send ⌈100,000/65,536⌉ = 2, receive ⌈1,000,000/65,536⌉/10 = 1.6, delete
        // 0.1, record 1: 4.7; × 26,280,000 + 657,000 pollers = 124,173,000 × $0.4e-6 = $49.6692.
        #expect(abs(model.sqsRequestsPerJob(Self.job) - 4.7) < 1e-12)
        let use = model.payPerUse(Self.job, traffic)
        #expect(use.invocations == 2_628_000)
        #expect(abs(use.billedSeconds - 268_318.8) < 1e-6)
        #expect(abs(use.gbSeconds - 463_531.208203125) < 1e-6)
        #expect(abs(use.lambdaDuration - 7.7255355877590235) < 1e-9)
        #expect(abs(use.lambdaRequests - 0.5256) < 1e-12)
        #expect(abs(use.sqsRequests - 124_173_000) < 1e-3)
        #expect(abs(use.sqs - 49.6692) < 1e-9)
        #expect(abs(use.dollars - (7.7255355877590235 + 0.5256 + 49.6692)) < 1e-9)
    }

    @Test func instancesFollowThePeakByCPUAndByMemory() {
        var model = CostModel()
        model.minimumInstances = 1
        // 1,000 jobs/s × 0.01 s = 10 cores / 1.4 = 7.14 → 8 instances.
        #expect(model.alwaysOn(Self.job, TrafficProfile(jobsPerHour: 3_600_000, burstiness: 1)).instances == 8)
        // A 2 GiB job of 10 s at 1 job/s: 10 in flight × 2,048 MiB / 4,096 MiB = 5 instances
        // by memory (CPU: 1 × 0.5 / 1.4 → 1).
        let big = JobProfile(name: "big", cpuSeconds: 0.5, wallSeconds: 10, peakMemoryMiB: 2_048, requestBytes: 300, resultBytes: 300)
        #expect(model.alwaysOn(big, TrafficProfile(jobsPerHour: 3_600, burstiness: 1)).instances == 5)
    }

    @Test func aFunctionRunsAtItsShareOfACPU() {
        var model = CostModel()
        // 884.5 MB is half a vCPU: 0.01 CPU s take 0.02 s.
        model.lambdaMemoryMiB = 884.5
        #expect(abs(model.lambdaSeconds(Self.job) - 0.02) < 1e-15)
        // 3,538 MB is two vCPUs, but a one-thread job uses one: 0.01 s; a job of two threads
        // (0.02 CPU s in 0.01 wall) takes 0.01 s there.
        model.lambdaMemoryMiB = 3_538
        #expect(abs(model.lambdaSeconds(Self.job) - 0.01) < 1e-15)
        let twoThreads = JobProfile(name: "two", cpuSeconds: 0.02, wallSeconds: 0.01, peakMemoryMiB: 1, requestBytes: 1, resultBytes: 1)
        #expect(abs(model.lambdaSeconds(twoThreads) - 0.01) < 1e-15)
        // A job whose process peaks at 2,000 MiB gets 2,400 MiB (1.2×) over the configured
        // 1,769: 2,400 / 1,769 = 1.3567 vCPUs for its two threads, 0.02 / 1.3567 = 0.014742 s.
        model.lambdaMemoryMiB = 1_769
        let big = JobProfile(name: "big", cpuSeconds: 0.02, wallSeconds: 0.01, peakMemoryMiB: 2_000, requestBytes: 1, resultBytes: 1)
        #expect(model.memoryMiB(for: big) == 2_400)
        #expect(abs(model.lambdaSeconds(big) - 0.02 * 1_769 / 2_400) < 1e-15)
        // The memory at rest is the floor: 1,600 MiB at rest gives 1,920 for a 10 MiB job.
        model.restMemoryMiB = 1_600
        #expect(model.memoryMiB(for: Self.job) == 1_920)
    }

    @Test func theBreakEvenIsWhereTheBillsMeet() {
        // One instance ($0.08925 × 730 = $65.1525 a month) against a per-job price of
        // 0.01 × 1,769/1,024 × $0.0000166667 + $0.2e-6 + 4 SQS requests × $0.4e-6 =
        // $2.0879237529e-6 (batches of 1, no overhead, no cold starts, no pollers):
        // 65.1525 / (730 × 2.0879237529e-6) = 42,745.8138 jobs an hour (the peak, 11.9 jobs/s,
        // needs 0.085 of an instance: still one).
        let model = CostModel(batchSize: 1, invocationOverheadSeconds: 0, initSeconds: 0, coldStartFraction: 0,
                              pollerRequestsPerMonth: 0, minimumInstances: 1)
        let small = JobProfile(name: "s", cpuSeconds: 0.01, wallSeconds: 0.01, peakMemoryMiB: 1, requestBytes: 1_000, resultBytes: 1_000)
        let rate = try! #require(model.breakEven(small, burstiness: 1))
        #expect(abs(rate - 42_745.813813731525) < 1e-6 * 42_745.8)
        // Dearer instances move it up in proportion while one instance still covers the peak.
        var dear = model
        dear.prices.instancePerHour *= 2
        let doubled = try! #require(dear.breakEven(small, burstiness: 1))
        #expect(abs(doubled - 2 * 42_745.813813731525) < 1e-6 * 85_491.6)
        // An instance that costs more than pay-per-use at every rate up to the limit: none.
        dear.prices.instancePerHour = 1e6
        #expect(dear.breakEven(small, burstiness: 1, limit: 1e7) == nil)
    }
}
