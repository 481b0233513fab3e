import Foundation
import SciLearnLambda
import SciLearnBackends
import SciLearnData
import SciLearnQueue
import SciLearnService

/// `scilearn` as an AWS Lambda function: when `AWS_LAMBDA_RUNTIME_API` is set (the Lambda
/// environment sets it), the binary runs the Runtime API loop instead of the command line.
///
/// Configuration, all optional, from the function's environment:
/// - `SCILEARN_SUCCESS_QUEUE_URL`, `SCILEARN_FAILURE_QUEUE_URL`: SQS queues for the records of
///   SQS-triggered jobs (see ``LambdaHandler``);
/// - `SCILEARN_SQS_ENDPOINT`: an SQS-compatible endpoint instead of the queues' hosts;
/// - `SCILEARN_DATA_ROOTS`, `SCILEARN_DATA_BUCKETS`: comma-separated folders and
///   `BUCKET[/PREFIX]`s that requests may read by reference (as `--data-root`, `--data-bucket`);
///   `SCILEARN_OUTPUT_ROOTS`, `SCILEARN_OUTPUT_BUCKETS`: where results may be written (as
///   `--output-root`, `--output-bucket`); none by default;
/// - `SCILEARN_MAX_CELLS`, `SCILEARN_MAX_JOB_MEMORY`, `SCILEARN_MAX_JOB_WORK`: the service's
///   limits (as `--max-cells`, `--max-job-memory`, `--max-job-work`);
/// - `SCILEARN_API_KEY`: when set, API Gateway requests (but `GET /healthz`) need
///   `Authorization: Bearer <key>` (set but empty is an init error, as for `serve`);
/// - credentials and region: the function's role (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
///   `AWS_SESSION_TOKEN`, `AWS_REGION`, set by Lambda).
enum LambdaEntry {
    static func run(api: String, environment: [String: String]) async -> Int32 {
        let runtime: LambdaRuntime<HTTPLambdaRuntimeClient>
        do {
            runtime = LambdaRuntime(api: api, handler: try handler(environment))
        } catch {
            let bare = LambdaRuntime(api: api, handler: LambdaHandler())
            try? await bare.reportInitError(String(describing: error))
            FileHandle.standardError.write(Data("scilearn (lambda): \(error)\n".utf8))
            return 1
        }
        do {
            try await runtime.run()
            return 0
        } catch {
            FileHandle.standardError.write(Data("scilearn (lambda): the Runtime API loop ended: \(error)\n".utf8))
            return 1
        }
    }

    static func handler(_ environment: [String: String]) throws -> LambdaHandler {
        func destination(_ key: String) throws -> (any JobDestination)? {
            guard let url = environment[key], !url.isEmpty else { return nil }
            return try JobBackend.sqsDestination(url, field: key, endpoint: environment["SCILEARN_SQS_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 },
                                                 endpointField: "SCILEARN_SQS_ENDPOINT", environment: environment)
        }
        func list(_ key: String) -> [String] {
            (environment[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let roots = list("SCILEARN_DATA_ROOTS"), buckets = list("SCILEARN_DATA_BUCKETS")
        let outputRoots = list("SCILEARN_OUTPUT_ROOTS"), outputBuckets = list("SCILEARN_OUTPUT_BUCKETS")
        var dataSource: DataReferenceSource? = nil
        if !(roots + buckets + outputRoots + outputBuckets).isEmpty {
            do throws(DataSourceError) {
                dataSource = try DataReferenceSource(rootPaths: roots, buckets: buckets, outputRootPaths: outputRoots, outputBuckets: outputBuckets,
                                                     environment: environment)
            } catch {
                throw LambdaEventError("SCILEARN_DATA_ROOTS / SCILEARN_DATA_BUCKETS / SCILEARN_OUTPUT_ROOTS / SCILEARN_OUTPUT_BUCKETS: \(error.message)")
            }
        }
        return LambdaHandler(service: SciLearnService(limits: try LambdaHandler.limits(environment: environment), dataSource: dataSource),
                             success: try destination("SCILEARN_SUCCESS_QUEUE_URL"), failure: try destination("SCILEARN_FAILURE_QUEUE_URL"),
                             apiKey: try LambdaHandler.apiKey(environment: environment))
    }
}
