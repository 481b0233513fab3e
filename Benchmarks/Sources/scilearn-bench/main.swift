// scilearn-bench: the side-by-side benchmark executable of ../shared/BENCH-PROTOCOL.md.
//
//   scilearn-bench --case <case-id> --data-dir <dir> --warmup <k> --repeats <R> [--threads T]
//
// --threads T bounds the engine's threads per parallel loop (Parallelism.withThreadLimit).
// Loads the workload's arrays (untimed), runs the case k times untimed and R times timed (wall
// clock around the computation only), and prints one JSON object as its last stdout line.
import Foundation
import SciLearn

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("scilearn-bench: \(message)\n".utf8))
    exit(2)
}

nonisolated(unsafe) var options: [String: String] = ["--data-dir": "/tmp/scilearn-perf-data", "--warmup": "1", "--repeats": "5"]
var args = CommandLine.arguments.dropFirst()
while let flag = args.popFirst() {
    guard flag.hasPrefix("--"), let value = args.popFirst() else { fail("usage: --case ID --data-dir DIR --warmup K --repeats R") }
    options[flag] = value
}
guard let caseID = options["--case"] else { fail("--case is required") }
guard let warmup = Int(options["--warmup"]!), let repeats = Int(options["--repeats"]!), warmup >= 0, repeats >= 1 else {
    fail("--warmup must be >= 0 and --repeats >= 1")
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

guard let benchCase = BenchCase.all.first(where: { $0.id == caseID }) else {
    emit(["case": caseID, "skipped": "not implemented"])
    exit(0)
}

do {
    let workload = benchCase.workload.isEmpty ? BenchCase.crossProductData
        : try Workload(directory: URL(fileURLWithPath: options["--data-dir"]!).appendingPathComponent(benchCase.workload))
    let threads = Int(options["--threads"] ?? "") ?? Parallelism.cores
    var metrics: [String: Double] = [:]
    for _ in 0..<warmup { metrics = try Parallelism.withThreadLimit(threads) { try benchCase.run(workload) } }
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<repeats {
        let start = clock.now
        metrics = try Parallelism.withThreadLimit(threads) { try benchCase.run(workload) }
        let d = clock.now - start
        times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    if caseID == "W4-lloyd", let iterations = metrics["n_iter"], iterations > 0 {
        // The protocol's time per Lloyd iteration: the median run over its iterations.
        metrics["s_per_iteration"] = times.sorted()[times.count / 2] / iterations
    }
    emit(["case": caseID, "times_s": times, "metrics": metrics.mapValues { $0.isFinite ? $0 as Any : NSNull() }])
} catch {
    fail("\(caseID): \(error)")
}
