import SciLearn
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The job contract: request JSON in, response JSON out. Every transport (CLI, HTTP, queue,
/// Lambda) calls ``run(body:)`` and nothing else; this is the only module that knows task names,
/// parameter names and error codes.
public struct SciLearnService: Sendable {
    /// The limits applied to every request it runs.
    public var limits: ServiceLimits
    /// Where data given by reference is read (nil: references are refused, naming the field).
    public var dataSource: (any DataSource)?

    /// A service applying `limits` (the defaults unless given), reading references through
    /// `dataSource` when one is given.
    public init(limits: ServiceLimits = ServiceLimits(), dataSource: (any DataSource)? = nil) {
        self.limits = limits
        self.dataSource = dataSource
    }

    /// Runs one request body. Never throws and never traps on bad input: every failure is an
    /// error response with a contract code. A body without an `id` gets `assignedID` (a queue's
    /// job id), or a fresh UUID.
    ///
    /// With `cancellation`, the job stops at the engine's next check point once the token is
    /// cancelled (a server's deadline, a worker's drain) and answers `timeout`, which queues
    /// retry; its memory is freed as it unwinds.
    public func run(body: some Collection<UInt8>, assignedID: String? = nil, cancellation: CancellationToken? = nil) -> JobResponse {
        let start = Self.now()
        var partial = JobRequest.Partial(id: assignedID)
        let request: JobRequest
        do {
            request = try JobRequest.decode(body, limits: limits, partial: &partial, assignedID: assignedID, cancellation: cancellation)
        } catch {
            return JobResponse(id: partial.id, task: partial.task, outcome: .failure(error), elapsedMilliseconds: Self.now() - start)
        }
        return run(request, start: start, cancellation: cancellation)
    }

    /// Runs an already decoded request (with `cancellation` as in ``run(body:assignedID:cancellation:)``).
    public func run(_ request: JobRequest, cancellation: CancellationToken? = nil) -> JobResponse {
        run(request, start: Self.now(), cancellation: cancellation)
    }

    private func run(_ request: JobRequest, start: Double, cancellation: CancellationToken?) -> JobResponse {
        let outcome: JobResponse.Outcome
        do throws(ServiceError) {
            let token = cancellation ?? CancellationToken()
            // An output location is checked before anything runs: a job must not compute for
            // minutes and then find it cannot write.
            if let output = request.output { try checkOutput(output) }
            let job = try token.run { () throws(ServiceError) in
                var input = try request.readers(limits: limits)
                // Data by reference is read here, once, before the task sees its fields.
                try input.data?.resolveReferences(fields: request.task.declaration.data, source: dataSource,
                                                  isCancelled: { @Sendable in token.isCancelled })
                return try request.task.declaration.prepare(input)
            }
            try limits.admit(job.cost)
            // Stopped while its body was being decoded: nothing to start.
            if token.isCancelled { throw ServiceError(SciLearnError(.cancelled, field: nil, "cancelled before it started")) }
            let out = try Parallelism.job { () throws(ServiceError) in
                try token.run { () throws(ServiceError) in try job.run() }
            }
            outcome = .success(result: out.result, warnings: out.warnings)
        } catch {
            outcome = .failure(error)
        }
        let response = JobResponse(id: request.id, task: request.task.rawValue, outcome: outcome, elapsedMilliseconds: Self.now() - start)
        guard let output = request.output, case .success = outcome else { return response }
        return written(response, to: output)
    }

    /// `output` checked against the data source's allowed places.
    private func checkOutput(_ output: OutputLocation) throws(ServiceError) {
        guard let dataSource else {
            throw ServiceError(.invalidParams, "output.url: results by reference are not enabled here: the operator allows a place with --output-root DIR (file://) or --output-bucket BUCKET (s3://), for Lambda SCILEARN_OUTPUT_ROOTS / SCILEARN_OUTPUT_BUCKETS; leave output out to get the result in the response")
        }
        do throws(DataSourceError) { try dataSource.checkOutput(output.url) } catch {
            throw ServiceError(.invalidParams, "output.url: \(output.url): \(error.message)")
        }
    }

    /// Writes the full response (and, as asked, the result's arrays) to `output`; returns the
    /// response that points at them, its result cut to the scalar fields. A write that fails is
    /// `internal` (retried on a queue): the result exists but could not be delivered.
    private func written(_ response: JobResponse, to output: OutputLocation) -> JobResponse {
        guard let dataSource, case .success(let result, let warnings) = response.outcome else { return response }
        let id = response.id ?? "job"
        var files = JSONObject()
        do throws(DataSourceError) {
            let full = Array(response.json.utf8)
            let url = output.url + id + ".json"
            try dataSource.write(full, to: url, contentType: "application/json")
            files["url"] = .string(url)
            files["bytes"] = .number(Double(full.count))
            if output.arrays != .none {
                var arrays = JSONObject()
                for (key, value) in result.entries {
                    guard let file = ResultFile(value, field: key, format: output.arrays) else { continue }
                    let name = "\(output.url)\(id).\(key).\(file.fileExtension)"
                    try dataSource.write(file.bytes, to: name, contentType: file.contentType)
                    arrays[key] = .object(["url": .string(name), "bytes": .number(Double(file.bytes.count))])
                }
                files["arrays"] = .object(arrays)
            }
        } catch {
            var failed = response
            failed.outcome = .failure(ServiceError(.internal, "output.url: the job succeeded but its result could not be written: \(error.message)"))
            return failed
        }
        var summary = JSONObject()
        for (key, value) in result.entries {
            switch value {
            case .array, .object: continue
            default: summary[key] = value
            }
        }
        var slim = response
        slim.outcome = .success(result: summary, warnings: warnings)
        slim.output = files
        return slim
    }

    /// Monotonic milliseconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }
}
