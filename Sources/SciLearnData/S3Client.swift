import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SciLearnAWS
import SciLearnService

/// Just enough of Amazon S3 for data and results by reference: `GetObject` streamed
/// (``S3ObjectStream``) and `PutObject`, each signed with AWS Signature V4 (service `s3`, the
/// payload's SHA-256 in `x-amz-content-sha256`), over async-http-client.
///
/// The endpoint is the AWS SDKs' choice: `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL` (an
/// S3-compatible server, addressed path-style: `ENDPOINT/BUCKET/KEY`), else
/// `https://BUCKET.s3.REGION.amazonaws.com/KEY` (virtual-hosted; path-style for a bucket name
/// with dots, which the certificate's wildcard cannot cover).
public struct S3Client: Sendable {
    /// An S3-compatible endpoint, or nil for AWS's own.
    public let endpoint: URL?
    public let region: String
    let signer: SignatureV4
    let http: HTTPClient

    /// A client signing with `credentials` for `region`, sending to `endpoint` (nil: AWS).
    public init(endpoint: URL?, region: String, credentials: AWSCredentials, http: HTTPClient = .shared) {
        self.endpoint = endpoint
        self.region = region
        self.signer = SignatureV4(credentials: credentials, region: region, service: "s3")
        self.http = http
    }

    /// The client the environment describes (credentials, region, endpoint), as the AWS SDKs
    /// read it.
    /// - Throws: naming the missing variable or the malformed endpoint.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(DataSourceError) -> S3Client {
        let credentials: AWSCredentials
        do throws(AWSCredentials.Missing) {
            credentials = try AWSCredentials.fromEnvironment(environment, user: "reading s3:// references")
        } catch {
            throw DataSourceError(error.description)
        }
        var endpoint: URL? = nil
        for key in ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"] {
            guard let value = environment[key], !value.isEmpty else { continue }
            guard let url = URL(string: value), url.host != nil, ["http", "https"].contains(url.scheme ?? "") else {
                throw DataSourceError("\(key) is '\(value)', not an http(s) URL such as http://127.0.0.1:5000")
            }
            endpoint = url
            break
        }
        guard let region = AWSCredentials.region(environment, host: endpoint?.host, service: "s3") ?? (endpoint != nil ? "us-east-1" : nil) else {
            throw DataSourceError("AWS_REGION is not set: s3:// references need the bucket's region (AWS_REGION)")
        }
        return S3Client(endpoint: endpoint, region: region, credentials: credentials)
    }

    /// The URL, Host header and canonical path of `bucket`/`key`.
    func address(bucket: String, key: String) -> (url: String, host: String, path: String) {
        let encodedKey = key.split(separator: "/", omittingEmptySubsequences: false).map { SignatureV4.uriEncode(String($0)) }.joined(separator: "/")
        if let endpoint {
            var host = endpoint.host ?? ""
            if let port = endpoint.port { host += ":\(port)" }
            let base = endpoint.absoluteString.hasSuffix("/") ? String(endpoint.absoluteString.dropLast()) : endpoint.absoluteString
            return ("\(base)/\(bucket)/\(encodedKey)", host, "/\(bucket)/\(key)")
        }
        if bucket.contains(".") {
            let host = "s3.\(region).amazonaws.com"
            return ("https://\(host)/\(bucket)/\(encodedKey)", host, "/\(bucket)/\(key)")
        }
        let host = "\(bucket).s3.\(region).amazonaws.com"
        return ("https://\(host)/\(encodedKey)", host, "/\(key)")
    }

    /// A signed request of `method` for `bucket`/`key` with `body`.
    func request(_ method: HTTPMethod, bucket: String, key: String, body: [UInt8] = [], contentType: String? = nil) throws(DataSourceError) -> HTTPClient.Request {
        let (url, host, path) = address(bucket: bucket, key: key)
        var headers: [(name: String, value: String)] = [("Host", host), ("x-amz-content-sha256", SignatureV4.hex(SignatureV4.sha256(body)))]
        if let contentType { headers.append(("Content-Type", contentType)) }
        let signature = signer.sign(method: method.rawValue, path: path, headers: headers, body: body, date: Date())
        var request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: method, body: body.isEmpty ? nil : .bytes(body))
        } catch {
            throw DataSourceError("is not a valid S3 address (\(url)): \(error)")
        }
        for (name, value) in headers + signature where name != "Host" { request.headers.add(name: name, value: value) }
        return request
    }

    /// Opens `bucket`/`key` for streaming (waits for the response head).
    func get(bucket: String, key: String) throws(DataSourceError) -> S3ObjectStream {
        try S3ObjectStream(request: request(.GET, bucket: bucket, key: key), http: http, name: "s3://\(bucket)/\(key)")
    }

    /// Writes `body` to `bucket`/`key`.
    /// - Throws: S3's refusal or a transport failure, as a ``DataSourceError``.
    func put(bucket: String, key: String, body: [UInt8], contentType: String) throws(DataSourceError) {
        // The response head comes after the upload: allow it time at 1 MB/s beyond the minute.
        let stream = try S3ObjectStream(request: request(.PUT, bucket: bucket, key: key, body: body, contentType: contentType),
                                        http: http, name: "s3://\(bucket)/\(key)", action: "s3:PutObject", stall: 60 + Double(body.count) / 1e6)
        var sink = [UInt8](repeating: 0, count: 4096)
        while try stream.read(&sink, 0..<sink.count) > 0 {}
    }
}
