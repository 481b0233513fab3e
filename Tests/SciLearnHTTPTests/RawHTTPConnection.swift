#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A bare HTTP/1.1 client on a POSIX socket, for what a polite client library hides: a body that
/// is declared but never sent whole, chunked uploads, and reading a response mid-upload.
final class RawHTTPConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    private let fd: Int32
    private var pending: [UInt8] = []
    /// Seconds a read or a write may wait.
    private let timeout: Double

    /// Connects to the loopback port. The socket is this object's only once connected: a class
    /// whose stored properties are all set when its initializer throws still runs `deinit`, so a
    /// refused connection closed here and again there would close a descriptor number that
    /// another test's server may already have been given (NIO then stops on EBADF).
    init(port: Int, timeoutSeconds: Int = 60) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        timeout = Double(timeoutSeconds)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var rc: Int32
        repeat {
            rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } while rc != 0 && errno == EINTR
        // (A connect interrupted by a signal goes on in the background: EISCONN means it is done.)
        if rc != 0 && errno == EISCONN { rc = 0 }
        guard rc == 0 else {
            let error = errno
            Glibc.close(fd)
            throw Failure(description: "connect to port \(port) failed: errno \(error)")
        }
        self.fd = fd
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        let deadline = Self.now() + timeout
        while offset < bytes.count {
            guard wait(for: Int16(POLLOUT), until: deadline) else { throw Failure(description: "send timed out after \(timeout) s") }
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard n > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Seconds on the monotonic clock.
    private static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Waits until the socket is ready for `events` (or has an error or a hang-up to report), or
    /// the deadline passes (false). A signal delivered to this thread only shortens one wait: a
    /// blocking `recv` with `SO_RCVTIMEO` fails with EINTR on any signal, whatever `SA_RESTART`
    /// says, which once made a test see "not closed" after a fraction of its wait.
    private func wait(for events: Int16, until deadline: Double) -> Bool {
        while true {
            let left = deadline - Self.now()
            if left <= 0 { return false }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&p, 1, Int32(min(left * 1000, 1e9).rounded(.up)))
            if rc > 0 { return true }
            if rc < 0 && errno != EINTR { return true }  // the read or write that follows reports it
        }
    }

    /// Receives what is there once the socket is readable: the byte count, 0 at the end of the
    /// stream, nil when the deadline passed first, or -1 with errno on an error.
    private func receive(into chunk: inout [UInt8], until deadline: Double) -> Int? {
        while true {
            guard wait(for: Int16(POLLIN), until: deadline) else { return nil }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            return n
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        guard let n = receive(into: &chunk, until: Self.now() + timeout) else {
            throw Failure(description: "recv timed out after \(timeout) s")
        }
        guard n > 0 else { throw Failure(description: n == 0 ? "connection closed" : "recv failed: errno \(errno)") }
        pending += chunk[0..<n]
    }

    /// Reads one response (Content-Length framed, as every response of this server is).
    func readResponse() throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            if pending.count >= 4 {
                end = (0...(pending.count - 4)).first { Array(pending[$0..<($0 + 4)]) == separator }
            }
            if end == nil { try fill() }
        }
        let head = String(decoding: pending[0..<end!], as: UTF8.self)
        pending.removeFirst(end! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line in \(head)") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while pending.count < length { try fill() }
        let body = String(decoding: pending[0..<length], as: UTF8.self)
        pending.removeFirst(length)
        return Response(status: status, headers: headers, body: body)
    }

    /// Whether the server closes the connection within `seconds` (end of stream or a reset),
    /// with nothing more to read first.
    func closedByPeer(within seconds: Double) -> Bool {
        let deadline = Self.now() + seconds
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            guard let n = receive(into: &chunk, until: deadline) else { return false }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    /// A connection that sent a request head declaring `declared` body bytes and then only
    /// `start` of them: an upload stalled mid-body.
    static func stalledUpload(port: Int, path: String = "/v1/run", declared: Int, start: String = "{") throws -> RawHTTPConnection {
        let c = try RawHTTPConnection(port: port)
        try c.send("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: \(declared)\r\n\r\n\(start)")
        return c
    }

    /// One complete request and its response.
    static func request(port: Int, method: String, path: String, headers: [String: String] = [:], body: String = "") throws -> Response {
        let c = try RawHTTPConnection(port: port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.utf8.count)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        try c.send(head + "\r\n" + body)
        return try c.readResponse()
    }
}
