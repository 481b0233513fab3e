import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SciLearnService

/// The body of an S3 `GetObject`, read as a blocking ``ByteSource``: async-http-client's
/// delegate receives the parts on its event loop and this object hands them to the reading
/// thread (a job's thread, never an event loop), with backpressure: past `window` bytes
/// buffered, the next part is not requested until the reader has caught up, so memory stays
/// bounded whatever the object's size.
///
/// Opening waits for the response head: a missing key, a refused request or an unreachable
/// endpoint is an error before anything is parsed.
final class S3ObjectStream: ByteSource {
    /// The delegate the request holds (not this object: the request would then keep this
    /// object alive until it completes, and an abandoned read would never be cancelled).
    private let receiver: S3BodyReceiver
    private let task: HTTPClient.Task<Void>

    /// The object's length from `Content-Length`, once the head has arrived.
    let length: Int?

    /// Starts `request` and waits for its head.
    /// - Throws: the object's absence (404), a refusal (403), another status with S3's own
    ///   code and message, or a transport failure, as a ``DataSourceError`` naming the object.
    init(request: HTTPClient.Request, http: HTTPClient, name: String, action: String = "s3:GetObject", window: Int = 8 << 20, stall: TimeInterval = 60) throws(DataSourceError) {
        receiver = S3BodyReceiver(window: window, stall: stall, name: name)
        task = http.execute(request: request, delegate: receiver)
        do throws(DataSourceError) {
            length = try receiver.waitForHead(action: action)
        } catch {
            task.cancel()
            receiver.abandon()
            throw error
        }
    }

    /// An abandoned read (an error in the data, a cancelled job) cancels the request, so its
    /// connection and buffered parts are released at once.
    deinit {
        task.cancel()
        receiver.abandon()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int {
        do throws(DataSourceError) {
            return try receiver.read(into: buffer)
        } catch {
            task.cancel()
            throw error
        }
    }
}

/// The state an S3 body's parts pass through, from the event loop to the reading thread.
final class S3BodyReceiver: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void

    private let condition = NSCondition()
    private var parts: [ByteBuffer] = []
    private var buffered = 0
    private var head: HTTPResponseHead?
    private var errorBody: [UInt8] = []
    private var finished = false
    private var failure: (any Error)?
    private var resume: EventLoopPromise<Void>?
    private var abandoned = false
    private let window: Int
    private let stall: TimeInterval
    /// What the errors call the object (`s3://bucket/key`).
    private let name: String

    init(window: Int, stall: TimeInterval, name: String) {
        self.window = window
        self.stall = stall
        self.name = name
    }

    /// Waits for the response head; returns `Content-Length`.
    func waitForHead(action: String) throws(DataSourceError) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        let limit = Date().addingTimeInterval(stall)
        while head == nil && failure == nil && !finished {
            if !condition.wait(until: limit) { break }
        }
        if let failure { throw Self.describe(failure, name) }
        guard let head else { throw DataSourceError("the S3 endpoint did not answer within \(Int(stall)) s") }
        let status = Int(head.status.code)
        guard (200..<300).contains(status) else {
            // Wait for the (small) error document, then say what S3 said.
            while !finished && failure == nil { if !condition.wait(until: limit) { break } }
            throw Self.statusError(status, body: errorBody, action: action)
        }
        return head.headers.first(name: "content-length").flatMap { Int($0) }
    }

    /// The reader is gone: drop what is buffered and let a waiting event loop go on.
    func abandon() {
        condition.lock()
        abandoned = true
        parts.removeAll()
        buffered = 0
        let promise = resume
        resume = nil
        condition.unlock()
        promise?.succeed(())
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while parts.isEmpty && !finished && failure == nil {
            if !condition.wait(until: Date().addingTimeInterval(stall)) {
                throw DataSourceError("the S3 object stopped arriving (nothing for \(Int(stall)) s)")
            }
        }
        if let failure { throw Self.describe(failure, name) }
        guard !parts.isEmpty else { return 0 }
        var written = 0
        while written < buffer.count, !parts.isEmpty {
            let n = parts[0].withUnsafeReadableBytes { src in
                let n = min(src.count, buffer.count - written)
                UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + n)]).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[..<n]))
                return n
            }
            parts[0].moveReaderIndex(forwardBy: n)
            if parts[0].readableBytes == 0 { parts.removeFirst() }
            written += n
            buffered -= n
        }
        if buffered < window / 2, let promise = resume {
            resume = nil
            promise.succeed(())
        }
        return written
    }

    // MARK: - The delegate (on the client's event loop)

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        condition.lock()
        self.head = head
        condition.broadcast()
        condition.unlock()
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ part: ByteBuffer) -> EventLoopFuture<Void> {
        condition.lock()
        defer { condition.unlock() }
        if abandoned { return task.eventLoop.makeSucceededVoidFuture() }
        if let head, !(200..<300).contains(Int(head.status.code)) {
            if errorBody.count < 64 << 10 { errorBody += part.readableBytesView.prefix(64 << 10) }
            return task.eventLoop.makeSucceededVoidFuture()
        }
        parts.append(part)
        buffered += part.readableBytes
        condition.broadcast()
        if buffered >= window {
            let promise = task.eventLoop.makePromise(of: Void.self)
            resume = promise
            return promise.futureResult
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        condition.lock()
        failure = error
        resume?.succeed(())
        resume = nil
        condition.broadcast()
        condition.unlock()
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Errors

    static func describe(_ error: any Error, _ name: String) -> DataSourceError {
        if let e = error as? DataSourceError { return e }
        return DataSourceError("could not be read from S3: \(error)")
    }

    /// S3's error document (`<Error><Code>NoSuchKey</Code><Message>...</Message>`) as a message.
    static func statusError(_ status: Int, body: [UInt8], action: String) -> DataSourceError {
        let text = String(decoding: body, as: UTF8.self)
        func element(_ tag: String) -> String? {
            guard let a = text.range(of: "<\(tag)>"), let b = text.range(of: "</\(tag)>", range: a.upperBound..<text.endIndex) else { return nil }
            return String(text[a.upperBound..<b.lowerBound])
        }
        let code = element("Code"), message = element("Message")
        switch (status, code) {
        case (404, _), (_, "NoSuchKey"?): return DataSourceError("no such object (S3 answered 404 \(code ?? "NoSuchKey"))")
        case (_, "NoSuchBucket"?): return DataSourceError("no such bucket (S3 answered \(status) NoSuchBucket)")
        case (403, _): return DataSourceError("S3 refused (403 \(code ?? "AccessDenied")\(message.map { ": \($0)" } ?? "")): the credentials need \(action) on it")
        default: return DataSourceError("S3 answered \(status)\(code.map { " \($0)" } ?? "")\(message.map { ": \($0)" } ?? "")")
        }
    }
}
