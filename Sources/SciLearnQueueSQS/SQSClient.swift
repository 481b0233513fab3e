import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SciLearnQueue
import SciLearnJSON
import SciLearnAWS

/// A client of the SQS JSON protocol (`POST /`, `X-Amz-Target: AmazonSQS.<Action>`,
/// `Content-Type: application/x-amz-json-1.0`), every request signed with AWS Signature V4, over
/// async-http-client.
///
/// Throttling, 5xx answers and transport failures are retried up to `maxAttempts` times with
/// "full jitter" backoff (a random pause up to min(5 s, 100 ms · 2ⁿ)), as the AWS SDKs do;
/// anything else is thrown at once as ``SQSError``.
public struct SQSClient: Sendable {
    /// Where requests go: `https://sqs.REGION.amazonaws.com`, or an SQS-compatible server.
    public let endpoint: URL
    /// Signs every request (Signature V4 for service `sqs` in the client's region).
    public let signer: SignatureV4
    /// Attempts per call, the first included, before a retryable failure is thrown.
    public let maxAttempts: Int
    let http: HTTPClient

    /// A client for `endpoint` signing with `credentials` for `region`.
    public init(endpoint: URL, credentials: AWSCredentials, region: String, maxAttempts: Int = 5, http: HTTPClient = .shared) {
        self.endpoint = endpoint
        self.signer = SignatureV4(credentials: credentials, region: region, service: "sqs")
        self.maxAttempts = maxAttempts
        self.http = http
    }

    /// `host[:port]` as the Host header carries it (the port only when not the scheme's default).
    var hostHeader: String {
        let host = endpoint.host ?? ""
        if let port = endpoint.port, !(endpoint.scheme == "https" && port == 443), !(endpoint.scheme == "http" && port == 80) {
            return "\(host):\(port)"
        }
        return host
    }

    /// Calls `action` with the JSON `input`; returns the parsed answer (an object).
    /// - Parameter timeout: the whole exchange's limit for one attempt (long polls add their wait).
    public func call(_ action: String, _ input: JSONObject, timeout: Duration = .seconds(30)) async throws -> JSONObject {
        let body = Array(JSONValue.object(input).jsonText.utf8)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await once(action, body, timeout: timeout)
            } catch let error as SQSError where error.isRetryable && attempt < maxAttempts {
                try await Self.pause(attempt)
            } catch let error as SQSError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // Transport failures (refused, reset, timed out): retried like a 5xx.
                if attempt >= maxAttempts {
                    throw QueueError(.backend, "SQS \(action): \(endpoint.absoluteString) did not answer after \(attempt) attempts: \(error)")
                }
                try await Self.pause(attempt)
            }
        }
    }

    private func once(_ action: String, _ body: [UInt8], timeout: Duration) async throws -> JSONObject {
        let headers: [(name: String, value: String)] = [
            ("Host", hostHeader),
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", "AmazonSQS.\(action)"),
        ]
        let signature = signer.sign(method: "POST", path: "/", headers: headers, body: body, date: Date())
        var request = HTTPClientRequest(url: endpoint.absoluteString.hasSuffix("/") ? endpoint.absoluteString : endpoint.absoluteString + "/")
        request.method = .POST
        for (name, value) in headers + signature { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: TimeAmount(timeout))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let answer = JSONValue.parse(Array(buffer: bytes))
        let status = Int(response.status.code)
        if (200..<300).contains(status) {
            if case .object(let o)? = answer { return o }
            return [:]
        }
        var code = "HTTP\(status)", message = String(buffer: bytes)
        if case .object(let o)? = answer {
            if case .string(let t)? = o["__type"] { code = t.split(separator: "#").last.map(String.init) ?? t }
            if case .string(let m)? = o["message"] ?? o["Message"] { message = m }
        }
        if let query = response.headers.first(name: "x-amzn-query-error"), let first = query.split(separator: ";").first {
            code = code.isEmpty ? String(first) : code
        }
        throw SQSError(action: action, code: code, message: message, status: status)
    }

    /// Full jitter: a random pause in [0, min(5 s, 100 ms · 2^attempt)].
    static func pause(_ attempt: Int) async throws {
        let cap = min(5.0, 0.1 * pow(2, Double(attempt)))
        try await Task.sleep(for: .milliseconds(Int(Double.random(in: 0...cap) * 1000)))
    }
}
