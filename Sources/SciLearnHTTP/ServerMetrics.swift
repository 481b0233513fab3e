import CoreMetrics
import NIOCore
import Prometheus
import SciLearnQueue
import SciLearnService

/// The server's metrics, recorded through swift-metrics into a Prometheus registry of its own
/// (not the process-global `MetricsSystem`, so that several servers, or tests, never mix
/// counts) and rendered as Prometheus text by `GET /metrics`.
///
/// - `scilearn_http_requests_total{method,path,status}` and
///   `scilearn_http_request_duration_seconds{method,path,status}` (histogram), every request;
/// - `scilearn_jobs_total{task,status}` and `scilearn_job_duration_seconds{task,status}`
///   (histogram), every job the service ran (`status` is `ok` or the error code);
/// - `scilearn_failures_total{code}`, every error response by contract code, including the
///   transport's own (`overloaded`, `timeout`, `unauthorized`, ...);
/// - `scilearn_jobs_in_flight`, sync jobs admitted and not finished;
/// - `scilearn_http_connections` (open), `scilearn_http_uploads_in_progress` and
///   `scilearn_http_upload_bytes` (bodies held against the upload budget), read at each scrape,
///   and `scilearn_http_connections_closed{reason}` (`evicted`: the longest-idle one, to
///   make room; `refused`: every connection was busy);
/// - with a queue: `scilearn_queue_messages{state}` (`visible`, `in_flight`, `dead_lettered`),
///   read at each scrape, and `scilearn_worker_jobs_in_flight`, the embedded worker's messages
///   received and not settled; the worker's jobs count in `scilearn_jobs_total` too.
final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    let inFlight: Meter

    init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Small jobs take well under a millisecond: the default buckets start at 5 ms.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .microseconds(2_500_000), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
        inFlight = Meter(label: "scilearn_jobs_in_flight", factory: factory)
        inFlight.set(0)
    }

    func recordRequest(method: String, path: String, status: Int, nanoseconds: Int64) {
        let dims = [("method", method), ("path", path), ("status", String(status))]
        Counter(label: "scilearn_http_requests_total", dimensions: dims, factory: factory).increment()
        Timer(label: "scilearn_http_request_duration_seconds", dimensions: dims, factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    /// A job the service ran. Task names outside the contract are counted as `unknown`, so a
    /// client cannot grow the label set.
    func recordJob(_ response: JobResponse) {
        let task = response.task.flatMap(TaskName.init(rawValue:))?.rawValue ?? "unknown"
        let status = response.errorCode?.rawValue ?? "ok"
        let dims = [("task", task), ("status", status)]
        Counter(label: "scilearn_jobs_total", dimensions: dims, factory: factory).increment()
        Timer(label: "scilearn_job_duration_seconds", dimensions: dims, factory: factory)
            .recordNanoseconds(Int64(response.elapsedMilliseconds * 1e6))
    }

    /// The queue's depth and the embedded worker's in-flight count, set at scrape time.
    func recordQueue(_ depth: QueueDepth, workerInFlight: Int?) {
        for (state, n) in [("visible", depth.visible), ("in_flight", depth.inFlight), ("dead_lettered", depth.deadLettered)] {
            Gauge(label: "scilearn_queue_messages", dimensions: [("state", state)], factory: factory).record(n)
        }
        if let workerInFlight {
            Gauge(label: "scilearn_worker_jobs_in_flight", factory: factory).record(workerInFlight)
        }
    }

    /// The connection and upload gauges, set at scrape time.
    func recordConnections(open: Int, evicted: Int, refused: Int, uploads: Int, uploadBytes: Int) {
        Gauge(label: "scilearn_http_connections", factory: factory).record(open)
        Gauge(label: "scilearn_http_uploads_in_progress", factory: factory).record(uploads)
        Gauge(label: "scilearn_http_upload_bytes", factory: factory).record(uploadBytes)
        // Running totals kept by the registry, exposed as gauges (read at the scrape).
        Gauge(label: "scilearn_http_connections_closed", dimensions: [("reason", "evicted")], factory: factory).record(evicted)
        Gauge(label: "scilearn_http_connections_closed", dimensions: [("reason", "refused")], factory: factory).record(refused)
    }

    func recordFailure(_ code: ErrorCode) {
        Counter(label: "scilearn_failures_total", dimensions: [("code", code.rawValue)], factory: factory).increment()
    }

    /// Prometheus text exposition format 0.0.4.
    func render() -> ByteBuffer {
        ByteBuffer(bytes: registry.emitToBuffer())
    }
}
