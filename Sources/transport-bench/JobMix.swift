import Foundation

/// The suite's jobs: request templates written by `Benchmarks/transport/suite.py` into
/// `DATA/jobs/NAME.json`, each with `@ID@` where the job id goes, so that every submission is
/// a distinct job (the queues run a known id once).
struct JobMix: Sendable {
    struct Job: Sendable {
        let name: String
        let head: [UInt8]
        let tail: [UInt8]

        /// The request of the job with id `id`.
        func body(id: String) -> [UInt8] { head + Array(id.utf8) + tail }
        var templateBytes: Int { head.count + tail.count + 16 }
    }

    let jobs: [String: Job]

    init(directory: String, names: [String]) throws {
        var jobs: [String: Job] = [:]
        for name in names {
            let path = "\(directory)/jobs/\(name).json"
            guard let data = FileManager.default.contents(atPath: path) else { throw BenchError("no job template \(path) (run suite.py)") }
            let bytes = Array(data), marker = Array("@ID@".utf8)
            guard let at = (0...(bytes.count - marker.count)).first(where: { Array(bytes[$0..<($0 + marker.count)]) == marker }) else {
                throw BenchError("\(path) has no @ID@")
            }
            jobs[name] = Job(name: name, head: Array(bytes[..<at]), tail: Array(bytes[(at + marker.count)...]))
        }
        self.jobs = jobs
    }

    subscript(name: String) -> Job { jobs[name]! }
}

/// A failure of the bench itself (not of a job).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
