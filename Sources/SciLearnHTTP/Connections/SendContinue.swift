import NIOCore

/// An outbound user event an endpoint sends down its channel when it is about to read a request
/// body: if the client asked `Expect: 100-continue` and nothing has been answered yet, the
/// ``HTTPConnectionGuard`` writes `100 Continue` (at once: the client is waiting for it).
struct SendContinue: Sendable {
    /// Sends the event on `channel` (a no-op for a request that did not ask).
    static func send(on channel: any Channel) {
        channel.triggerUserOutboundEvent(SendContinue(), promise: nil)
    }
}
