import NIOCore

/// The first handler of a connection, before the HTTP decoder: tells the
/// ``HTTPConnectionGuard`` that bytes arrived (the guard sees only decoded parts, and the header
/// timeout starts at a request's first byte, before its head is complete).
final class InboundActivityObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let guardHandler: HTTPConnectionGuard

    init(_ guardHandler: HTTPConnectionGuard) {
        self.guardHandler = guardHandler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guardHandler.bytesArrived()
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension InboundActivityObserver: Sendable {}
