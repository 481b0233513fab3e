import Foundation
import SciLearnQueue
import SciLearnQueueSQLite
import SciLearnQueueSQS
import SciLearnAWS

extension JobBackend {
    /// Opens the backends the URIs name, picking the backend by the queue URI's form:
    /// - `sqlite:PATH`: the embedded queue; its destinations default to the tables of the queue's
    ///   own file, or are `sqlite:` files of their own.
    /// - `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`: Amazon SQS; destinations are SQS queue
    ///   URLs (a worker needs both: without one, writing its records fails, naming the option).
    ///   `endpoint` overrides where requests go (an SQS-compatible server); credentials and region
    ///   come from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    ///   `AWS_SESSION_TOKEN`, `AWS_REGION`).
    /// `clock` is where the embedded queue reads the time (tests drive a manual one).
    /// - Throws: ``QueueError`` naming the option at fault.
    public static func open(queue: String, successDestination: String? = nil, failureDestination: String? = nil,
                            endpoint: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                            clock: any QueueClock = SystemQueueClock()) throws -> JobBackend {
        switch try QueueURI(queue, field: "--queue") {
        case .sqlite(let path):
            guard endpoint == nil else { throw QueueError(.invalidURI, "--endpoint: applies to SQS queues only, not to \(queue)") }
            let store = try SQLiteStore.at(path)
            func destination(_ uri: String?, _ field: String, _ table: SQLiteDestination.Table) throws -> SQLiteDestination {
                guard let uri else { return SQLiteDestination(store: store, table: table) }
                guard case .sqlite(let p) = try QueueURI(uri, field: field) else {
                    throw QueueError(.invalidURI, "\(field): '\(uri)': an embedded queue's destinations are sqlite:PATH files")
                }
                return SQLiteDestination(store: try SQLiteStore.at(p), table: table)
            }
            return JobBackend(
                queue: SQLiteJobQueue(store: store, clock: clock),
                success: try destination(successDestination, "--success-destination", .success),
                failure: try destination(failureDestination, "--failure-destination", .failure)
            )
        case .sqs(let url, let queueEndpoint, let host):
            let client = try sqsClient(endpoint: endpoint ?? queueEndpoint, endpointField: "--endpoint", host: host, environment: environment)
            func destination(_ uri: String?, _ field: String) throws -> any JobDestination {
                guard let uri else { return MissingDestination(option: field) }
                guard case .sqs(let destinationURL, _, _) = try QueueURI(uri, field: field) else {
                    throw QueueError(.invalidURI, "\(field): '\(uri)': an SQS queue's destinations are SQS queue URLs")
                }
                return SQSDestination(client: client, queueURL: destinationURL)
            }
            return JobBackend(queue: SQSJobQueue(client: client, queueURL: url),
                              success: try destination(successDestination, "--success-destination"),
                              failure: try destination(failureDestination, "--failure-destination"), readsJobsBack: false)
        }
    }

    /// A destination from its URI alone (the Lambda function's record queues): an SQS queue URL,
    /// with credentials and region from `environment` and `endpoint` (an SQS-compatible server)
    /// overriding where requests go. `field` names the setting in errors.
    /// - Throws: ``QueueError`` naming `field` (or `endpointField`).
    public static func sqsDestination(_ uri: String, field: String, endpoint: String? = nil, endpointField: String = "--endpoint",
                                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any JobDestination {
        guard case .sqs(let queueURL, let queueEndpoint, let host) = try QueueURI(uri, field: field) else {
            throw QueueError(.invalidURI, "\(field): '\(uri)' is not an SQS queue URL")
        }
        let client = try sqsClient(endpoint: endpoint ?? queueEndpoint, endpointField: endpointField, host: host, environment: environment)
        return SQSDestination(client: client, queueURL: queueURL)
    }

    /// An SQS client for `endpoint`, signing with the environment's credentials for the region of
    /// `host` (or `AWS_REGION`).
    static func sqsClient(endpoint: String, endpointField: String, host: String, environment: [String: String]) throws -> SQSClient {
        guard let endpointURL = URL(string: endpoint), endpointURL.host != nil, ["http", "https"].contains(endpointURL.scheme ?? "") else {
            throw QueueError(.invalidURI, "\(endpointField): '\(endpoint)' is not an http(s) URL such as http://127.0.0.1:5000")
        }
        let credentials: AWSCredentials
        do throws(AWSCredentials.Missing) {
            credentials = try AWSCredentials.fromEnvironment(environment)
        } catch {
            throw QueueError(.invalidArgument, error.description)
        }
        guard let region = AWSCredentials.region(environment, host: host) else {
            throw QueueError(.invalidArgument, "AWS_REGION is not set and the queue URL's host (\(host)) names no region; set AWS_REGION")
        }
        return SQSClient(endpoint: endpointURL, credentials: credentials, region: region)
    }

    /// Deletes every message and dead letter of the backend's queue (the records stay); returns how many.
    /// - Throws: ``QueueError`` when the queue cannot be purged (only the embedded queue can).
    public func purge() async throws -> Int {
        guard let queue = queue as? any PurgeableQueue else {
            throw QueueError(.invalidArgument, "purge works on the embedded (sqlite:) queue only")
        }
        return try await queue.purge()
    }
}
