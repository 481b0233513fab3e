import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SciLearnData
import SciLearnQueue
@testable import SciLearnQueueSQS
import SciLearnService
import SciLearnTestSupport
import Testing

/// Data by reference from S3 (issue "Data where users keep it"), against moto_server's S3 on
/// loopback, the objects written by boto3 (a producer that is not ours): CSV, `.npy` and both
/// gzip-compressed give the bits of the same data sent inline; bad references are refused
/// naming the field; and a job whose data is an S3 object goes through `scilearn serve`'s
/// `POST /v1/jobs` to the SQS backend in a message of a few hundred bytes.
@Suite(.serialized, .ownThread(.waiting)) struct S3ReferenceTests {
    static let bucket = "campaign-data"

    /// Creates the bucket and writes `rows × columns` of seeded data as `jobs/X.csv` (numpy's
    /// %.17g, with a `y` column), `.csv.gz`, `X.npy`, `y.npy`, `X.npy.gz`, a truncated gzip and a
    /// header-only CSV; writes the same data inline as a request to `inline` (Python's shortest
    /// repr: exact doubles).
    static func upload(_ m: MotoServer, rows: Int, columns: Int, inline: String) async throws {
        let script = """
        import boto3, gzip, io, json, sys
        import numpy as np
        s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x")
        s3.create_bucket(Bucket="\(bucket)")
        s3.create_bucket(Bucket="other-bucket")
        n, p = int(sys.argv[2]), int(sys.argv[3])
        rng = np.random.default_rng(7)
        X = rng.normal(0, 1, (n, p)) * rng.uniform(0.5, 20, p) + rng.uniform(-5, 5, p)
        y = X @ rng.normal(0, 1, p) + rng.normal(0, 1, n)
        text = io.StringIO()
        np.savetxt(text, np.column_stack([X, y]), delimiter=",", fmt="%.17g", header=",".join([f"x{j}" for j in range(p)] + ["y"]), comments="")
        csv = text.getvalue().encode()
        def npy(a):
            b = io.BytesIO(); np.save(b, a); return b.getvalue()
        put = lambda key, body: s3.put_object(Bucket="\(bucket)", Key=key, Body=body)
        put("jobs/X.csv", csv)
        put("jobs/X.csv.gz", gzip.compress(csv))
        put("jobs/X.npy", npy(X))
        put("jobs/y.npy", npy(y))
        put("jobs/X.npy.gz", gzip.compress(npy(X)))
        put("jobs/truncated.csv.gz", gzip.compress(csv)[:-40])
        put("jobs/header-only.csv", b"a,b\\n")
        s3.put_object(Bucket="other-bucket", Key="jobs/X.npy", Body=npy(X))
        with open(sys.argv[4], "w") as f:
            json.dump({"id": "fit", "task": "linear_regression", "data": {"X": X.tolist(), "y": y.tolist()}}, f)
        """
        let status = try await python(script, [m.endpoint, String(rows), String(columns), inline])
        try #require(status == 0, "boto3 could not write the objects")
    }

    /// `python3 -c script arguments...` to its end, on a thread of its own (waiting for a
    /// process must not hold a cooperative thread); its exit status.
    static func python(_ script: String, _ arguments: [String]) async throws -> Int32 {
        try await OwnThread.run { () throws -> Int32 in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-c", script] + arguments
            p.standardError = FileHandle.standardError
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
    }

    /// The response text without its timing: equal texts are equal bits.
    static func text(_ service: SciLearnService, _ body: [UInt8]) -> String {
        let json = service.run(body: body).json
        return json.range(of: #","elapsed_ms":"#).map { String(json[..<$0.lowerBound]) } ?? json
    }

    static func environment(_ m: MotoServer) -> [String: String] {
        m.environment.merging(["AWS_ENDPOINT_URL_S3": m.endpoint]) { $1 }
    }

    @Test func s3ObjectsGiveTheBitsOfInlineDataAndBadReferencesAreNamed() async throws {
        try await MotoServer.with { m in
            let inline = FileManager.default.temporaryDirectory.appendingPathComponent("s3-inline-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: inline) }
            try await Self.upload(m, rows: 2_000, columns: 6, inline: inline.path)
            let source = try DataReferenceSource(rootPaths: [], buckets: ["\(Self.bucket)/jobs"], environment: Self.environment(m))
            let service = SciLearnService(dataSource: source)
            let want = Self.text(SciLearnService(), Array(try Data(contentsOf: inline)))
            #expect(want.contains(#""status":"ok""#))
            let columns = (0..<6).map { "\"x\($0)\"" }.joined(separator: ",")
            let csv = #""X":{"url":"s3://\#(Self.bucket)/jobs/X.csv","columns":[\#(columns)]},"y":{"url":"s3://\#(Self.bucket)/jobs/X.csv","column":"y"}"#
            let forms = [
                csv,
                csv.replacingOccurrences(of: "X.csv", with: "X.csv.gz"),
                #""X":{"url":"s3://\#(Self.bucket)/jobs/X.npy"},"y":{"url":"s3://\#(Self.bucket)/jobs/y.npy"}"#,
                #""X":{"url":"s3://\#(Self.bucket)/jobs/X.npy.gz"},"y":{"url":"s3://\#(Self.bucket)/jobs/y.npy"}"#,
            ]
            for form in forms {
                let got = Self.text(service, Array(#"{"id":"fit","task":"linear_regression","data":{\#(form)}}"#.utf8))
                // The CSV's columns are named as the inline fit's default terms (x0, x1, ...).
                #expect(got == want, "\(form.prefix(60)): \(got.prefix(300))")
            }
            let bad: [(String, [String])] = [
                (#""a":{"url":"s3://other-bucket/jobs/X.npy"}"#, ["data.a.url", "not in an allowed bucket or prefix", "s3://\(Self.bucket)/jobs/"]),
                (#""a":{"url":"s3://\#(Self.bucket)/elsewhere/X.npy"}"#, ["data.a.url", "not in an allowed bucket or prefix"]),
                (#""a":{"url":"s3://\#(Self.bucket)/jobs/../secret.npy"}"#, ["data.a.url", "'..' segment"]),
                (#""a":{"url":"s3://\#(Self.bucket)/jobs/missing.npy"}"#, ["data.a.url", "no such object", "404"]),
                (#""a":{"url":"s3://\#(Self.bucket)/jobs/truncated.csv.gz","column":"y"}"#, ["data.a.url", "gzip stream ends early"]),
                (#""a":{"url":"s3://\#(Self.bucket)/jobs/header-only.csv","column":"a"}"#, ["data.a.url", "no rows of data"]),
                (#""a":{"url":"s3://Bad_Bucket/x.npy"}"#, ["data.a.url", "not an S3 bucket name"]),
            ]
            for (data, mentions) in bad {
                let r = try QueueTestData.json(service.run(body: Array(#"{"task":"ttest_1samp","data":{\#(data)}}"#.utf8)).json)
                let error = r["error"] as? [String: Any]
                #expect(error?["code"] as? String == "invalid_data", "\(data): \(r)")
                for s in mentions { #expect((error?["message"] as? String)?.contains(s) == true, "\(data): \(error?["message"] ?? "") lacks \(s)") }
            }
        }
    }

    /// Results by reference to S3: a k-means job on the SQS backend writes its response and its
    /// labels (`.npy`) under the output prefix, and boto3 with numpy reads the labels back equal
    /// to the written response's; the success record carries the reference and the scalars. A
    /// response over SQS's 1 MiB without an output location gives a record that says so.
    @Test func resultsGoToS3AndAnOversizeRecordSaysSo() async throws {
        try await MotoServer.with { m in
            let inline = FileManager.default.temporaryDirectory.appendingPathComponent("s3-inline-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: inline) }
            try await Self.upload(m, rows: 20_000, columns: 50, inline: inline.path)
            let (jobs, _) = try await m.createQueue(SQSBackendTests.name("jobs"), maxReceiveCount: 3)
            let (ok, _) = try await m.createQueue(SQSBackendTests.name("ok"))
            let backend = try SQSBackendTests.open(m, jobs, success: ok)
            let source = try DataReferenceSource(rootPaths: [], buckets: ["\(Self.bucket)/jobs"], outputBuckets: ["\(Self.bucket)/jobs/results"],
                                                 environment: Self.environment(m))
            // Reads abandoned after the header (a column that does not exist) release their
            // connections: once they held them, and the pool's eight were gone after eight.
            let service = SciLearnService(dataSource: source)
            for i in 0..<12 {
                let r = try QueueTestData.json(service.run(body: Array(#"{"task":"ttest_1samp","data":{"a":{"url":"s3://\#(Self.bucket)/jobs/X.csv","column":"nope"}}}"#.utf8)).json)
                #expect(((r["error"] as? [String: Any])?["message"] as? String)?.contains("has no column \"nope\"") == true, "\(i): \(r)")
            }
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let worker = RunningWorker(try QueueWorker(queue: backend.queue, success: backend.success, failure: backend.failure,
                                                       configuration: QueueWorkerConfiguration(concurrency: 1, wait: .seconds(1), drainTimeout: .seconds(5), dataSource: source),
                                                       logger: logger))
            let segment = #"{"id":"segments-1","task":"kmeans","params":{"n_clusters":8,"random_state":0,"n_init":1},"data":{"X":{"url":"s3://\#(Self.bucket)/jobs/X.npy"}},"output":{"url":"s3://\#(Self.bucket)/jobs/results/","arrays":"npy"}}"#
            let big = #"{"id":"components-1","task":"pca","params":{"n_components":50,"return_transformed":true},"data":{"X":{"url":"s3://\#(Self.bucket)/jobs/X.npy"}}}"#
            for body in [segment, big] { _ = try await backend.submit(Array(body.utf8), limits: ServiceLimits()) }
            let records = SQSJobQueue(client: m.client, queueURL: ok)
            let done = try await QueueTestData.eventually(within: 300, every: .milliseconds(250)) { try await records.depth().visible >= 2 }
            try await worker.stop()
            try #require(done, "two success records")
            var byID: [String: [String: Any]] = [:]
            for message in try await m.drain(ok) {
                let record = try QueueTestData.json(String(decoding: message.body, as: UTF8.self))
                let response = record["responsePayload"] as? [String: Any] ?? [:]
                byID[response["id"] as? String ?? "?"] = response
            }
            // The k-means record: scalars and the output's reference.
            let seg = try #require(byID["segments-1"])
            #expect(seg["status"] as? String == "ok" && (seg["result"] as? [String: Any])?["labels"] == nil, "\(seg)")
            let output = try #require(seg["output"] as? [String: Any])
            #expect(output["url"] as? String == "s3://\(Self.bucket)/jobs/results/segments-1.json")
            let labels = try #require((output["arrays"] as? [String: Any])?["labels"] as? [String: Any])
            #expect(labels["url"] as? String == "s3://\(Self.bucket)/jobs/results/segments-1.labels.npy")
            // boto3 and numpy read both objects back: the .npy's labels are the JSON's.
            let check = """
            import boto3, io, json, sys
            import numpy as np
            s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x")
            full = json.loads(s3.get_object(Bucket="\(Self.bucket)", Key="jobs/results/segments-1.json")["Body"].read())
            labels = np.load(io.BytesIO(s3.get_object(Bucket="\(Self.bucket)", Key="jobs/results/segments-1.labels.npy")["Body"].read()))
            assert full["status"] == "ok" and labels.shape == (20000,) and labels.dtype == np.float64, (labels.shape, labels.dtype)
            assert labels.tolist() == [float(v) for v in full["result"]["labels"]]
            assert len(full["result"]["cluster_sizes"]) == 8
            """
            let status = try await Self.python(check, [m.endpoint])
            #expect(status == 0, "boto3 reads the output back")
            // The PCA record: its response (about 20 MB of transformed rows) stands as a note.
            let pca = try #require(byID["components-1"])
            #expect(pca["status"] as? String == "ok" && pca["task"] as? String == "pca", "\(pca)")
            #expect((pca["omitted_bytes"] as? Int ?? 0) > 1_048_576 && (pca["message"] as? String)?.contains("output") == true, "\(pca)")
        }
    }

    /// The issue's path: `scilearn serve` on the SQS backend, `POST /v1/jobs` with a body of a
    /// few hundred bytes naming a CSV object; the success record's result is the inline fit's.
    @Test func aJobWhoseDataIsAnS3ObjectGoesThroughTheSQSBackend() async throws {
        try await MotoServer.with { m in
            let inline = FileManager.default.temporaryDirectory.appendingPathComponent("s3-inline-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: inline) }
            let (rows, columns) = (20_000, 50)
            try await Self.upload(m, rows: rows, columns: columns, inline: inline.path)
            let (jobs, _) = try await m.createQueue(SQSBackendTests.name("jobs"), maxReceiveCount: 3)
            let (ok, _) = try await m.createQueue(SQSBackendTests.name("ok"))
            let (failed, _) = try await m.createQueue(SQSBackendTests.name("failed"))
            // (`--port 0`, the port read from the log: a port found free first could be taken by
            // another test's server before this one binds it.)
            let (server, port) = try await OwnThread.run {
                try SQSCommandTests.serve(["--queue", jobs, "--endpoint", m.endpoint, "--success-destination", ok, "--failure-destination", failed,
                                           "--data-bucket", Self.bucket], environment: Self.environment(m))
            }
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            let names = (0..<columns).map { "\"x\($0)\"" }.joined(separator: ",")
            let body = #"{"id":"million-row-fit","task":"linear_regression","data":{"X":{"url":"s3://\#(Self.bucket)/jobs/X.csv.gz","columns":[\#(names)]},"y":{"url":"s3://\#(Self.bucket)/jobs/X.csv.gz","column":"y"}}}"#
            #expect(body.utf8.count < 2048, "the message is \(body.utf8.count) bytes")
            var status = 0
            let posted = try await QueueTestData.eventually(within: 120, every: .milliseconds(200)) {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/jobs")!)
                request.httpMethod = "POST"
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
                status = (response as? HTTPURLResponse)?.statusCode ?? 0
                return true
            }
            #expect(posted && status == 202, "POST /v1/jobs answered \(status)")
            let records = SQSJobQueue(client: m.client, queueURL: ok)
            let done = try await QueueTestData.eventually(within: 300, every: .milliseconds(250)) { try await records.depth().visible >= 1 }
            kill(server.processIdentifier, SIGTERM)
            try await OwnThread.run { server.waitUntilExit() }
            if !done {
                let failures = try await m.drain(failed).map { String(decoding: $0.body, as: UTF8.self).prefix(400) }
                Issue.record("no success record; failure records: \(failures)")
                return
            }
            let record = try QueueTestData.json(String(decoding: try #require(try await m.drain(ok).first).body, as: UTF8.self))
            let response = try #require(record["responsePayload"] as? [String: Any])
            #expect(response["status"] as? String == "ok", "\(response)")
            // The same data inline, through the service: the same numbers, to the last bit.
            let inlineResponse = try QueueTestData.json(SciLearnService(limits: ServiceLimits(maxBodyBytes: 256 << 20)).run(body: Array(try Data(contentsOf: inline))).json)
            let got = try #require(response["result"] as? [String: Any]), want = try #require(inlineResponse["result"] as? [String: Any])
            for key in ["coef", "intercept", "std_errors", "p_values", "r_squared", "log_likelihood", "condition_number"] {
                #expect(String(describing: got[key] ?? "none") == String(describing: want[key] ?? "none"), "\(key)")
            }
            #expect((got["terms"] as? [String])?.dropFirst().first == "x0")
        }
    }
}
