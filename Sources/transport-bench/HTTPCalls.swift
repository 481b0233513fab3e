import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The suite's HTTP client: keep-alive connections, up to 256 to one host (the 64 concurrent
/// callers and the queue's status polls never wait for a connection).
enum HTTPCalls {
    static let client: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        config.timeout = .init(connect: .seconds(10), read: .seconds(600))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }()

    /// (status, body) of one call.
    static func call(_ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, timeout: TimeAmount = .seconds(600)) async throws -> (Int, [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return (Int(response.status.code), Array(buffer: bytes))
    }

    /// Waits until `GET url` answers 200 (a server coming up), at most `seconds`.
    static func waitHealthy(_ url: String, seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let (status, _) = try? await call(.GET, url, timeout: .seconds(2)), status == 200 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("\(url) did not answer within \(seconds) s")
    }
}
