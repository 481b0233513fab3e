import Foundation
import SciLearnQueueSQS

/// The Lambda path with its Runtime API server kept running for as long as the transport lives:
/// the server runs in a task of its own, and closing the transport stops the instances and then
/// the server.
struct LambdaPath: Transport {
    let inner: LambdaTransport
    let server: Task<Void, Error>
    let stop: AsyncStream<Void>.Continuation
    /// The record queues on moto, deleted at the end (each record holds its request: left
    /// behind they would grow moto's memory over the run).
    let sqs: SQSClient
    let queues: [String]
    var name: String { "lambda" }

    static func start(_ bench: TransportBench, instances: Int) async throws -> LambdaPath {
        let sqs = SQSTransport.client(endpoint: bench.sqsEndpoint)
        let tag = UUID().uuidString.prefix(8)
        let success = try await SQSTransport.createQueue(sqs, "bench-lambda-success-\(tag)")
        let failure = try await SQSTransport.createQueue(sqs, "bench-lambda-failure-\(tag)")
        let api = EventSourceRuntimeAPI(batchSize: 10)
        let (stopStream, stop) = AsyncStream<Void>.makeStream()
        let (addressStream, addressOut) = AsyncStream<String>.makeStream()
        let server = Task {
            defer { addressOut.finish() }
            try await api.serve { address in
                addressOut.yield(address)
                for await _ in stopStream { break }
            }
        }
        var iterator = addressStream.makeAsyncIterator()
        guard let address = await iterator.next() else { throw BenchError("the Runtime API server did not start") }
        let env = LambdaTransport.environment(api: address, endpoint: bench.sqsEndpoint, success: success, failure: failure,
                                              dataRoot: bench.dataDir, limits: bench.lambdaLimits)
        let inner = try LambdaTransport(api: api, address: address, scilearn: bench.scilearn, instances: instances, environment: env, runDirectory: bench.runDir)
        return LambdaPath(inner: inner, server: server, stop: stop, sqs: sqs, queues: [success, failure])
    }

    func run(id: String, body: [UInt8]) async throws -> JobOutcome { try await inner.run(id: id, body: body) }

    func close() async {
        await inner.close()
        stop.yield()
        stop.finish()
        _ = try? await server.value
        for q in queues { _ = try? await sqs.call("DeleteQueue", ["QueueUrl": .string(q)]) }
    }
}
