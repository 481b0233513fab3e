import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with the server's connection rules: the same pipeline as
/// `HTTP1Channel` (NIO's HTTP/1 codec, then the conversion to HTTP types, then the async channel
/// the router reads), with an ``InboundActivityObserver`` before the decoder and an
/// ``HTTPConnectionGuard`` after it, and every connection counted in the ``ConnectionRegistry``.
/// Hummingbird's own idle handler is not used: the guard's timeouts replace it.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let timeouts: HTTPConnectionGuard.Timeouts
    let registry: ConnectionRegistry

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let connection = TrackedConnection(channel: channel)
            let guardHandler = HTTPConnectionGuard(timeouts: timeouts, connection: connection)
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(InboundActivityObserver(guardHandler))
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,  // the guard answers malformed requests
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: HTTPConnectionGuard.decoderLimits
            )
            try pipeline.addHandler(guardHandler)
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            let value = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                wrappingChannelSynchronously: channel,
                configuration: .init(isOutboundHalfClosureEnabled: true)
            )
            if registry.admit(connection) {
                channel.closeFuture.whenComplete { [registry] _ in registry.remove(connection) }
            } else {
                channel.close(promise: nil)
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
