import NIOCore
import NIOHTTP1
import SciLearnService

/// The server's connection-level rules, on each connection between the HTTP/1 codec and the
/// application (all on the connection's event loop):
///
/// - **Timeouts** (one timer per connection, re-armed lazily): a complete request head within
///   `headerTimeout` of the accept or of a later request's first byte; no pause longer than
///   `bodyTimeout` in a body (progress-based: slow and steady is fine); at most `idleTimeout`
///   between keep-alive requests. None runs while a request is being computed: the request's
///   own deadline covers that.
/// - **`Expect: 100-continue`**: `100 Continue` is written when the endpoint starts reading the
///   body (``SendContinue``); a final answer that comes first (401, 413, 503, ...) closes the
///   connection after it, since the client will not send the body it was waiting to send.
/// - **Malformed requests** get the contract's JSON envelope (`bad_request`, 400) and the
///   connection is closed: framing errors of the decoder (a NUL in a header, both
///   `Content-Length` and `Transfer-Encoding`, conflicting lengths, an oversized head), a request
///   target or method outside their grammars, and an HTTP/1.1 request without exactly one `Host`
///   (RFC 9112 §3.2).
/// - **Idle state** for the ``ConnectionRegistry`` (the longest-idle connection is the one
///   closed at the limit), and graceful shutdown: an idle connection closes at once, a busy one
///   after its response.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The connection timeouts.
    struct Timeouts: Sendable {
        var header: TimeAmount
        var body: TimeAmount
        var idle: TimeAmount
    }

    /// The request head's limits: 100 header fields (Apache's `LimitRequestFields`), 16 KiB a
    /// field, 64 KiB in all, request line included. Past them, 400 before the head is complete.
    static var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var l = NIOHTTPDecoderLimitConfiguration()
        l.maxHeaderFieldCount = 100
        l.maxHeaderFieldSize = 16 * 1024
        l.maxHeaderListSize = 64 * 1024
        return l
    }

    private let timeouts: Timeouts
    private let connection: TrackedConnection
    private var context: ChannelHandlerContext?

    private let acceptedAt = NIODeadline.now()
    /// No request has started on this connection yet.
    private var fresh = true
    /// A request head was forwarded and its `end` has not arrived.
    private var requestOpen = false
    /// Requests forwarded whose response has not ended.
    private var pendingResponses = 0
    /// Bytes of a head have arrived (since `headStartedAt`) and the head is not complete.
    private var headStartedAt: NIODeadline?
    /// The last inbound byte, or the end of the last response.
    private var lastActivity = NIODeadline.now()
    /// The current request asked for `100 Continue` and has been sent neither it nor an answer.
    private var continuePending = false
    /// The current response's head has been written.
    private var responseStarted = false
    private var closeAfterResponse = false
    /// The current request is HTTP/1.0 asking to keep the connection: its answer must say so.
    private var keepAliveHTTP10 = false
    /// The guard answered (or is closing) itself: inbound parts are dropped, upstream writes fail.
    private var rejecting = false
    private var stalled = false

    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(timeouts: Timeouts, connection: TrackedConnection) {
        self.timeouts = timeouts
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        arm()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    // MARK: - Inbound

    /// Called by ``InboundActivityObserver`` before the bytes are decoded.
    func bytesArrived() {
        let now = NIODeadline.now()
        lastActivity = now
        if !requestOpen && pendingResponses == 0 && headStartedAt == nil {
            headStartedAt = now
            arm()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if rejecting { return }
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            headStartedAt = nil
            fresh = false
            if let problem = Self.problem(with: head) {
                reject(context, .badRequest, problem)
                return
            }
            requestOpen = true
            pendingResponses += 1
            responseStarted = false
            continuePending = Self.isHTTP11OrLater(head.version)
                && head.headers[canonicalForm: "expect"].contains { $0.lowercased() == "100-continue" }
            // HTTP/1.0 closes after each response unless it asks to keep the connection;
            // HTTP/1.1 keeps it unless it asks to close (RFC 9112 §9.3).
            let tokens = head.headers[canonicalForm: "connection"].map { $0.lowercased() }
            if Self.isHTTP11OrLater(head.version) ? tokens.contains("close") : !tokens.contains("keep-alive") {
                closeAfterResponse = true
            }
            keepAliveHTTP10 = !Self.isHTTP11OrLater(head.version) && tokens.contains("keep-alive")
            connection.markBusy()
            arm()  // the body timeout now applies
            context.fireChannelRead(data)
        case .body:
            context.fireChannelRead(data)
        case .end:
            requestOpen = false
            continuePending = false
            context.fireChannelRead(data)
            becameIdleIfDone()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError || error is ByteToMessageDecoderError else {
            context.fireErrorCaught(error)
            return
        }
        if rejecting { return }
        if responseStarted {
            // Mid-response: no second answer is possible; just end the connection.
            rejecting = true
            context.close(promise: nil)
            return
        }
        reject(context, .badRequest, Self.describe(error))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if rejecting, let e = event as? ChannelEvent, e == .inputClosed {
            context.close(promise: nil)
            return
        }
        if event is ChannelShouldQuiesceEvent {
            // Graceful shutdown: close now if idle, else after the response in progress.
            if !requestOpen && pendingResponses == 0 {
                context.close(promise: nil)
            } else {
                closeAfterResponse = true
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: - Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if rejecting {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            responseStarted = true
            if continuePending {
                // A final answer before 100: the client will not send its body.
                continuePending = false
                closeAfterResponse = true
            }
            if closeAfterResponse {
                head.headers.replaceOrAdd(name: "connection", value: "close")
            } else if keepAliveHTTP10 {
                head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .head, .body:
            context.write(data, promise: promise)
        case .end:
            pendingResponses -= 1
            responseStarted = false
            if closeAfterResponse {
                rejecting = true
                let done = context.eventLoop.makePromise(of: Void.self)
                context.writeAndFlush(data, promise: done)
                // Unread body bytes may follow: linger; otherwise close at once.
                let unread = requestOpen
                // (On the channel's event loop, as every handler method: the closure need not be
                // Sendable.)
                done.futureResult.assumeIsolated().whenComplete { [self] result in
                    promise?.completeWith(result)
                    if unread { lingeringClose(context) } else { context.close(promise: nil) }
                }
                return
            }
            context.write(data, promise: promise)
            becameIdleIfDone()
        }
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is SendContinue else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if continuePending && !responseStarted && !rejecting {
            continuePending = false
            let head = HTTPResponseHead(version: .http1_1, status: .continue)
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        }
        promise?.succeed()
    }

    // MARK: - Timeouts

    /// The moment the connection's current rule runs out, or nil when none applies.
    private var deadline: NIODeadline? {
        if rejecting { return nil }
        if requestOpen { return lastActivity + timeouts.body }
        if pendingResponses > 0 { return nil }
        if let start = headStartedAt { return start + timeouts.header }
        if fresh { return acceptedAt + timeouts.header }
        return lastActivity + timeouts.idle
    }

    /// Makes sure a timer fires no later than the current deadline (a timer set for an earlier
    /// moment is kept: it re-arms when it fires).
    private func arm() {
        guard let context, let d = deadline else { return }
        if let t = timerDeadline, t <= d, timer != nil { return }
        timer?.cancel()
        timerDeadline = d
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: d) { [self] in
            timer = nil
            timerDeadline = nil
            fire()
        }
    }

    private func fire() {
        guard let context, let d = deadline else { return }
        guard d <= .now() else { arm(); return }
        if requestOpen {
            // The body stopped: the endpoint reading it answers 408; the connection closes after
            // that answer, or in two seconds if nobody answers.
            guard !stalled else { return }
            stalled = true
            closeAfterResponse = true
            context.fireErrorCaught(BodyStalled(seconds: Double(timeouts.body.nanoseconds) / 1e9))
            context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .seconds(2)) { [context] in
                context.close(promise: nil)
            }
        } else if headStartedAt != nil {
            reject(context, .requestTimeout, "the request head was not complete within \(RunEndpoint.seconds(.nanoseconds(timeouts.header.nanoseconds))) s of its first byte")
        } else {
            // Idle (never used, or between requests): closed without a word, as every server does.
            rejecting = true
            context.close(promise: nil)
        }
    }

    /// The request's deadline passed while its body was being read: the reader gets
    /// ``RequestDeadline/Exceeded`` (and answers 504); the connection closes after that answer.
    func deadlinePassed() {
        guard let context, requestOpen, !rejecting else { return }
        closeAfterResponse = true
        context.fireErrorCaught(RequestDeadline.Exceeded())
    }

    private func becameIdleIfDone() {
        guard !requestOpen && pendingResponses == 0 else { return }
        lastActivity = .now()
        connection.markIdle()
        arm()
    }

    // MARK: - Answers of the guard's own

    /// Writes the error envelope with `Connection: close` and closes the connection.
    private func reject(_ context: ChannelHandlerContext, _ code: ErrorCode, _ message: String) {
        rejecting = true
        timer?.cancel()
        timer = nil
        let json = JobResponse.failure(code, message).json
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: ErrorEnvelope.jsonContentType)
        headers.add(name: "content-length", value: String(json.utf8.count))
        headers.add(name: "connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: code.httpStatus), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: json)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [self] _ in
            lingeringClose(context)
        }
    }

    /// Closes after an answer the way nginx's `lingering_close` does: the write side first, then
    /// whatever the client still sends is read and dropped for up to two seconds, so that the
    /// kernel does not reset the connection over unread bytes and destroy the answer before the
    /// client has read it.
    private func lingeringClose(_ context: ChannelHandlerContext) {
        rejecting = true
        context.close(mode: .output).assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .seconds(2)) {
            context.close(promise: nil)
        }
    }

    /// What is wrong with a head the decoder accepted, if anything.
    static func problem(with head: HTTPRequestHead) -> String? {
        if Self.isHTTP11OrLater(head.version) {
            let hosts = head.headers[canonicalForm: "host"].count
            if hosts != 1 {
                return hosts == 0
                    ? "an HTTP/1.1 request must carry a Host header (RFC 9112 §3.2)"
                    : "an HTTP/1.1 request must carry exactly one Host header; got \(hosts) (RFC 9112 §3.2)"
            }
        }
        // The request target: visible ASCII only (non-ASCII must be percent-encoded, RFC 3986).
        if head.uri.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) || head.uri.isEmpty {
            return "the request target must be visible ASCII (percent-encode anything else); got \(head.uri.utf8.count) bytes with others"
        }
        // The method: a token (RFC 9110 §5.6.2).
        if case .RAW(let value) = head.method, value.isEmpty || !value.utf8.allSatisfy(Self.isTokenByte) {
            return "the method is not a valid token"
        }
        if let expect = head.headers[canonicalForm: "expect"].first, expect.lowercased() != "100-continue" {
            return "unsupported Expect: \(expect.prefix(64)); only 100-continue is supported"
        }
        return nil
    }

    private static func isHTTP11OrLater(_ v: HTTPVersion) -> Bool {
        v.major > 1 || (v.major == 1 && v.minor >= 1)
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(b)
        }
    }

    /// A decoder error in words.
    static func describe(_ error: any Error) -> String {
        switch error {
        case HTTPParserError.headerOverflow:
            "the request head is too large: at most 100 header fields, 16 KiB a field and 64 KiB in all, request line included"
        case HTTPParserError.unexpectedContentLength:
            "Content-Length cannot be combined with Transfer-Encoding, or appear with different values"
        case HTTPParserError.invalidHeaderToken:
            "a header name or value contains a character HTTP does not allow (a control character, NUL, ...)"
        case HTTPParserError.invalidURL:
            "the request target is not a valid URL path"
        case HTTPParserError.unknown:
            "malformed HTTP request framing (for example both Content-Length and Transfer-Encoding, or a bad chunk size)"
        case let e as HTTPParserError:
            "malformed HTTP request: \(e)"
        default:
            "malformed HTTP request"
        }
    }
}

@available(*, unavailable)
extension HTTPConnectionGuard: Sendable {}
