import Foundation
import Synchronization
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// The engine's threading policy: a lone job's parallel loop uses every core; beside another job
/// it gets no helper beyond the core count; results never depend on the thread count.
///
/// The blocking work runs on threads of its own (`OwnThread`), never on the test runner's
/// cooperative threads, which other suites' async tests need meanwhile.
@Suite(.serialized) struct ThreadBudgetTests {

    /// Runs 16 pieces of ~5 ms each and returns how many distinct threads ran them.
    static func threadsUsed() throws -> Int {
        let ids = Mutex(Set<UInt64>())
        _ = try Parallel.map(16) { (i: Int) throws(SciLearnError) -> Int in
            ids.withLock { _ = $0.insert(UInt64(pthread_self())) }
            usleep(5_000)
            return i
        }
        return ids.withLock { $0.count }
    }

    /// Other suites run jobs in this process at the same time (the conformance suite's large
    /// fits take seconds), so the check waits, up to a minute, for a moment when no other job
    /// is counted; a loop started then must use every core.
    @Test func aLoneJobUsesEveryCore() async throws {
        try #require(Parallelism.cores >= 2, "needs 2 cores")
        let best = try await OwnThread.run {
            var best = 0
            let deadline = ContinuousClock.now + .seconds(60)
            while best < min(Parallelism.cores, 16) && ContinuousClock.now < deadline {
                if ThreadBudget.activeCount == 0 {
                    best = max(best, try Parallelism.job { try Self.threadsUsed() })
                } else {
                    usleep(20_000)
                }
            }
            return best
        }
        #expect(best == min(Parallelism.cores, 16))
    }

    /// With every other core taken by a job, a loop gets no helper.
    @Test func besideOtherJobsNoHelperBeyondTheCores() async throws {
        let others = Parallelism.cores - 1
        let used = try await OwnThread.run {
            let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
            for _ in 0..<others {
                Thread {
                    Parallelism.job {
                        started.signal()
                        release.wait()
                    }
                }.start()
            }
            for _ in 0..<others { started.wait() }
            defer { for _ in 0..<others { release.signal() } }
            return try Parallelism.job { try Self.threadsUsed() }
        }
        #expect(used == 1, "\(others + 1) jobs on \(Parallelism.cores) cores: the loop must run on its own thread")
    }

    @Test func aThreadLimitOfOneRunsOnTheCaller() async throws {
        let used = try await OwnThread.run { try Parallelism.withThreadLimit(1) { try Self.threadsUsed() } }
        #expect(used == 1)
    }

    /// The split cross product is bit-identical with one thread and with all, and equals a
    /// naive XᵀX to rounding.
    @Test func crossProductIsIdenticalWhateverTheThreadCount() throws {
        let n = 40_000, p = 7
        var v = [Double](repeating: 0, count: n * p)
        for k in v.indices { v[k] = sin(Double(k) * 0.37) }
        let x = Matrix(rows: n, columns: p, columnMajor: v)
        let one = try Parallelism.withThreadLimit(1) { try CrossProductTests.Rows(x: x).crossProduct() }
        let all = try CrossProductTests.Rows(x: x).crossProduct()
        #expect(one.map(\.bitPattern) == all.map(\.bitPattern))
        for i in 0..<p {
            for j in 0..<p {
                var s = 0.0
                for r in 0..<n { s += x[r, i] * x[r, j] }
                #expect(abs(all[i + j * p] - s) <= 1e-12 * max(1, abs(s)))
                #expect(all[i + j * p] == all[j + i * p])
            }
        }
    }
}
