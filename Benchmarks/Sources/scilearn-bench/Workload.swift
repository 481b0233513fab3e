import Foundation
import SciLearn

/// A workload folder of the protocol: `manifest.json` plus raw little-endian float64 arrays in
/// row-major order. Arrays are loaded (and converted to column-major) before any timing.
struct Workload {
    let directory: URL
    private var arrays: [String: (shape: [Int], values: [Double])] = [:]
    private var matrices: [String: Matrix] = [:]
    /// The rows of each 2-D array of at most 64 rows (the samples of W6's `anova_groups`), split
    /// before any timing as numpy's views of rows cost nothing either.
    private var rowArrays: [String: [[Double]]] = [:]

    init(directory: URL) throws {
        self.directory = directory
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        guard let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = manifest["arrays"] as? [String: [String: Any]] else {
            throw BenchError("\(directory.path)/manifest.json has no 'arrays'")
        }
        for (name, entry) in entries {
            guard let shape = entry["shape"] as? [Int], let files = entry["files"] as? [String: String],
                  let f64 = files["f64"] else { throw BenchError("manifest entry \(name) lacks shape or files.f64") }
            let raw = try Data(contentsOf: directory.appendingPathComponent(f64), options: .alwaysMapped)
            let count = shape.reduce(1, *)
            guard raw.count == count * 8 else { throw BenchError("\(f64): \(raw.count) bytes, expected \(count * 8)") }
            var values = [Double](repeating: 0, count: count)
            values.withUnsafeMutableBytes { dst in raw.withUnsafeBytes { src in dst.copyMemory(from: src) } }
            arrays[name] = (shape, values)
            if shape.count == 2 {
                matrices[name] = Matrix(rows: shape[0], columns: shape[1], rowMajor: values)
                if shape[0] <= 64 {
                    rowArrays[name] = (0..<shape[0]).map { Array(values[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
                }
            }
        }
    }

    /// An in-memory workload (cases beyond the protocol's, whose data the bench makes itself).
    init(synthetic matrices: [String: Matrix], vectors: [String: [Double]] = [:]) {
        directory = URL(fileURLWithPath: "/dev/null")
        self.matrices = matrices
        for (name, v) in vectors { arrays[name] = ([v.count], v) }
    }

    func matrix(_ name: String) throws -> Matrix {
        guard let m = matrices[name] else { throw BenchError("workload has no 2-D array '\(name)'") }
        return m
    }

    func rows(_ name: String) throws -> [[Double]] {
        guard let r = rowArrays[name] else { throw BenchError("workload has no 2-D array of at most 64 rows '\(name)'") }
        return r
    }

    func vector(_ name: String) throws -> [Double] {
        guard let a = arrays[name] else { throw BenchError("workload has no array '\(name)'") }
        return a.values
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
