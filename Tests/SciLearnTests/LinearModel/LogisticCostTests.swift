import CMalloc
import Foundation
import Synchronization
import Testing
import SciLearnTestSupport
@testable import SciLearn

/// `LogisticRegression.estimatedCost` against what fits really do, over a grid of 32 shapes
/// (rows, columns, classes): the peak memory the fit allocates (sampled from the allocator while
/// it runs, in a process of its own so that no other test's memory is counted) and the work of
/// the solver's own counts of passes and factorisations are each within 4× of the estimate.
/// Shapes are kept small enough for a debug build; the shapes scikit-learn's estimator checks
/// fit in a fraction of a second are held to the default limits.
@Suite(.serialized, .ownThread(.computing)) struct LogisticCostTests {
    static let grid: [(n: Int, p: Int, k: Int)] = {
        var g: [(Int, Int, Int)] = []
        for n in [300, 3_000, 40_000] { for p in [1, 8, 40] { for k in [2, 3, 8] { g.append((n, p, k)) } } }
        return g + [(200, 1, 30), (1_000, 50, 2), (20_000, 2, 4), (50, 300, 2), (120, 800, 5)]
    }()

    /// Bytes held by the allocator now (arena and mapped blocks).
    static func allocated() -> Double {
        let info = mallinfo2()
        return Double(info.uordblks) + Double(info.hblkhd)
    }

    /// The peak of ``allocated()`` above its value at the start while `body` runs, sampled every
    /// 100 µs on a thread of its own.
    static func peak<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let base = allocated()
        let top = Mutex(base)
        let done = Atomic<Bool>(false)
        let sampler = Thread {
            while !done.load(ordering: .acquiring) {
                let now = allocated()
                top.withLock { $0 = max($0, now) }
                usleep(100)
            }
        }
        sampler.start()
        let out = try body()
        top.withLock { $0 = max($0, allocated()) }
        done.store(true, ordering: .releasing)
        Thread.sleep(forTimeInterval: 0.002)
        return (out, top.withLock { $0 } - base)
    }

    static func data(n: Int, p: Int, k: Int) -> (Matrix, [Double]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(n * 31 + p * 7 + k)
        func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) * 0x1p-53
        }
        let x = Matrix(rows: n, columns: p, columnMajor: (0..<(n * p)).map { _ in next() - 0.5 })
        let y = (0..<n).map { i -> Double in
            let signal = p > 0 ? x[i, 0] : 0
            return Double(min(k - 1, Int((next() + signal + 0.5) / 2 * Double(k))))
        }
        return (x, y)
    }

    /// One shape's figures, measured in the exit test's own process.
    struct Measured: Codable {
        var n, p, k: Int
        var estimatedMemory, measuredMemory, estimatedWork, countedWork: Double
    }

    @Test func theEstimateIsWithinFourTimesOfWhatFitsDo() async throws {
        #expect(Self.grid.count >= 30)
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            var out: [Measured] = []
            for (n, p, k) in LogisticCostTests.grid {
                let (x, y) = LogisticCostTests.data(n: n, p: p, k: k)
                let config = LogisticRegression(c: 1)
                // On one thread: the child must not take both cores from the other suites'
                // workers and servers (a loaded CI run starved them once).
                let (model, measured) = try LogisticCostTests.peak { try Parallelism.withThreadLimit(1) { try config.fit(x, y) } }
                let classes = Set(y).count
                let estimate = LogisticRegression.estimatedCost(rows: n, columns: p, classes: classes, maxIter: config.maxIter)
                out.append(Measured(n: n, p: p, k: classes, estimatedMemory: estimate.memoryBytes, measuredMemory: measured,
                                    estimatedWork: estimate.flops,
                                    countedWork: LogisticRegression.work(rows: n, columns: p, classes: classes, counts: model.solverCounts)))
            }
            FileHandle.standardOutput.write(try JSONEncoder().encode(out))
        }
        let bytes = try #require(result?.standardOutputContent)
        let rows = try JSONDecoder().decode([Measured].self, from: Data(bytes))
        #expect(rows.count == Self.grid.count)
        // Below 1 MiB a fit's memory is the allocator's noise, not the solver's buffers.
        let floor = Double(1 << 20)
        var worst = (memory: 1.0, work: 1.0)
        for r in rows {
            let memoryRatio = max(r.estimatedMemory, floor) / max(r.measuredMemory, floor)
            let workRatio = r.estimatedWork / r.countedWork
            #expect(memoryRatio >= 0.25 && memoryRatio <= 4, "\(r.n) × \(r.p), \(r.k) classes: memory estimated \(r.estimatedMemory), measured \(r.measuredMemory)")
            #expect(workRatio >= 0.25 && workRatio <= 4, "\(r.n) × \(r.p), \(r.k) classes: work estimated \(r.estimatedWork), counted \(r.countedWork)")
            worst.memory = max(worst.memory, memoryRatio, 1 / memoryRatio)
            worst.work = max(worst.work, workRatio, 1 / workRatio)
            print("logistic cost \(r.n) × \(r.p), \(r.k) classes: memory \(r.estimatedMemory) / \(r.measuredMemory), work \(r.estimatedWork) / \(r.countedWork)")
        }
        print("logistic cost: worst memory ratio \(worst.memory), worst work ratio \(worst.work) over \(rows.count) shapes")
    }

    /// 200 × 1 with 200 classes, 200 × 10 with 200 classes and 5,000 × 20 with 50 classes, which
    /// scikit-learn fits in under 0.2 s, are within the default limits (2 GiB, 2e11 flops).
    @Test func smallMulticlassJobsAreWithinTheDefaultLimits() {
        for (n, p, k) in [(200, 1, 200), (200, 10, 200), (5_000, 20, 50)] {
            let c = LogisticRegression.estimatedCost(rows: n, columns: p, classes: k, maxIter: 100)
            #expect(c.memoryBytes < 2 * Double(1 << 30) && c.flops < 2e11, "\(n) × \(p), \(k) classes: \(c)")
        }
    }
}
