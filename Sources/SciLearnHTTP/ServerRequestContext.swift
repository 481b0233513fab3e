import Hummingbird
import NIOCore

/// The request context of the HTTP adapter: Hummingbird's basic one plus the connection's
/// channel, which a request's deadline needs to cut off a stalled upload.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
