import Foundation

/// (e) The Lambda adapter: `instances` processes of the `scilearn` binary (the image's
/// entrypoint) with `AWS_LAMBDA_RUNTIME_API` pointing at an ``EventSourceRuntimeAPI``, which
/// feeds them SQS batches as Lambda's event source mapping would; their records go to the
/// success and failure queues on `moto_server`, as the deployed stack's do. A job is done when
/// the invocation that carried it has answered.
struct LambdaTransport: Transport {
    let api: EventSourceRuntimeAPI
    let instances: [ChildProcess]
    var name: String { "lambda" }

    /// The function's environment against moto and the data folder.
    static func environment(api: String, endpoint: String, success: String, failure: String, dataRoot: String, limits: [String: String]) -> [String: String] {
        var env = SQSTransport.environment(endpoint: endpoint)
        env["AWS_LAMBDA_RUNTIME_API"] = api
        env["SCILEARN_SUCCESS_QUEUE_URL"] = success
        env["SCILEARN_FAILURE_QUEUE_URL"] = failure
        env["SCILEARN_SQS_ENDPOINT"] = endpoint
        env["SCILEARN_DATA_ROOTS"] = dataRoot
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1769"
        for (k, v) in limits { env[k] = v }
        return env
    }

    init(api: EventSourceRuntimeAPI, address: String, scilearn: String, instances count: Int, environment: [String: String], runDirectory: String) throws {
        self.api = api
        instances = try (0..<count).map { i in
            try ChildProcess(scilearn, [], environment: environment, log: "\(runDirectory)/lambda-\(i).log", name: "lambda-\(i)")
        }
    }

    func run(id: String, body: [UInt8]) async throws -> JobOutcome {
        await api.enqueue(id: id, body: body)
        return JobOutcome(ok: await api.completions.wait(id))
    }

    func close() async { for p in instances { p.stop() } }
}
