import Foundation
import SciLearnTestSupport
import Testing

/// The trait that keeps compute-heavy test bodies off the cooperative pool does: a synchronous
/// body and an async one, across suspensions, run on the trait's thread.
@Suite(.ownThread(.computing)) struct OwnThreadTraitTests {
    @Test func aSynchronousBodyRunsOnItsOwnThread() {
        #expect(OwnThreadExecutor.isCurrent)
    }

    @Test func anAsyncBodyStaysOnItAcrossSuspensions() async throws {
        #expect(OwnThreadExecutor.isCurrent)
        try await Task.sleep(for: .milliseconds(5))
        #expect(OwnThreadExecutor.isCurrent)
        async let child = OwnThreadExecutor.isCurrent
        #expect(await child, "a child task inherits the preference")
    }
}

/// Without the trait a body runs on the pool: the checks above can fail.
@Suite struct WithoutTheOwnThreadTraitTests {
    @Test func aBodyRunsOnThePool() {
        #expect(!OwnThreadExecutor.isCurrent)
    }
}
