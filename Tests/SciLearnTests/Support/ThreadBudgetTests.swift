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
@Suite(.serialized, .ownThread(.computing)) struct ThreadBudgetTests {

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

    /// In a process of its own (an exit test): in this one, other suites' jobs run at the same
    /// time, and on a loaded machine there was no moment in a minute when none was counted. Up
    /// to 50 tries, since the helper thread must also get a core from the machine's scheduler.
    @Test func aLoneJobUsesEveryCore() async throws {
        try #require(Parallelism.cores >= 2, "needs 2 cores")
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let want = min(Parallelism.cores, 16)
            var best = 0
            for _ in 0..<50 where best < want {
                best = max(best, try Parallelism.job { try ThreadBudgetTests.threadsUsed() })
            }
            print("threads used: \(best) of \(want)")
            if best != want { exit(1) }
        }
        if let result { print(String(decoding: result.standardOutputContent, as: UTF8.self), terminator: "") }
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
