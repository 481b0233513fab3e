import Foundation
import SciLearnQueue
@testable import SciLearnQueueSQLite
import Testing

/// SQS's semantics, on every backend: visibility, receive counts, stale handles, one live
/// message per job, long poll, dead letters and redrive.
@Suite struct JobQueueSemanticsTests {
    /// Time is the test's (a manual clock): the window neither runs out while the checks inside it
    /// run, however slowly, nor needs waiting out.
    @Test(arguments: Backend.allCases)
    func visibilityExpiryRedeliversWithAHigherReceiveCount(_ backend: Backend) async throws {
        let clock = ManualQueueClock()
        let q = try backend.makeQueue(clock: clock)
        _ = try await q.send(QueueTestData.message("a"))
        let window: Duration = .seconds(3)
        let first = try await q.receive(max: 10, visibilityTimeout: window, wait: .zero)
        try #require(first.count == 1)
        #expect(first.first?.receiveCount == 1)
        #expect(first.first?.body == QueueTestData.ols("a"))
        #expect(first.first?.jobID == "a")
        // Invisible while the timeout runs (whole seconds: the clock's dates add exactly).
        clock.advance(by: .seconds(2))
        #expect(try await q.receive(max: 10, visibilityTimeout: .seconds(30), wait: .zero).isEmpty)
        #expect(try await q.state(ofJob: "a") == .inFlight(receiveCount: 1))
        clock.advance(by: .seconds(1))
        #expect(try await q.state(ofJob: "a") == .queued(receiveCount: 1))
        let second = try await q.receive(max: 10, visibilityTimeout: .seconds(30), wait: .zero)
        try #require(second.count == 1)
        #expect(second.first?.receiveCount == 2)
        #expect(second.first?.receiptHandle != first.first?.receiptHandle)
        // The first delivery's handle no longer acts.
        try await q.delete([first[0].receiptHandle])
        #expect(try await q.depth() == QueueDepth(visible: 0, inFlight: 1, deadLettered: 0))
        try await q.delete([second[0].receiptHandle])
        #expect(try await q.depth() == QueueDepth(visible: 0, inFlight: 0, deadLettered: 0))
        #expect(try await q.state(ofJob: "a") == nil)
    }

    /// The manual clock stands still: the 30 s windows cannot run out between the receive and the
    /// checks however slowly a loaded machine runs them (a fresh clone's CI once took 49 s here).
    @Test(arguments: Backend.allCases)
    func receiveTakesAtMostMaxOldestFirst(_ backend: Backend) async throws {
        let q = try backend.makeQueue(clock: ManualQueueClock())
        _ = try await q.send((0..<5).map { QueueTestData.message("m\($0)") })
        let got = try await q.receive(max: 3, visibilityTimeout: .seconds(30), wait: .zero)
        #expect(got.map(\.jobID) == ["m0", "m1", "m2"])
        #expect(try await q.depth() == QueueDepth(visible: 2, inFlight: 3, deadLettered: 0))
    }

    @Test(arguments: Backend.allCases)
    func aJobIDHasOneLiveMessage(_ backend: Backend) async throws {
        let q = try backend.makeQueue(clock: ManualQueueClock())
        let a = try await q.send(QueueTestData.message("same"))
        let b = try await q.send(QueueTestData.message("same", body: Array("other".utf8)))
        #expect(!a.duplicate)
        #expect(b.duplicate)
        #expect(b.messageID == a.messageID)
        let got = try await q.receive(max: 10, visibilityTimeout: .seconds(30), wait: .zero)
        #expect(got.count == 1)
        #expect(got.first?.body == QueueTestData.ols("same"))
    }

    /// Time is the test's (a manual clock), so the windows hold however slowly the calls run.
    @Test(arguments: Backend.allCases)
    func changeVisibilityReleasesAndExtends(_ backend: Backend) async throws {
        let clock = ManualQueueClock()
        let q = try backend.makeQueue(clock: clock)
        _ = try await q.send(QueueTestData.message("v"))
        let m = try #require(try await q.receive(max: 1, visibilityTimeout: .milliseconds(200), wait: .zero).first)
        clock.advance(by: .milliseconds(100))
        try await q.changeVisibility([m.receiptHandle], timeout: .seconds(30))
        clock.advance(by: .milliseconds(300))
        #expect(try await q.receive(max: 1, visibilityTimeout: .seconds(30), wait: .zero).isEmpty, "extended past the first timeout")
        #expect(try await q.state(ofJob: "v") == .inFlight(receiveCount: 1))
        try await q.changeVisibility([m.receiptHandle], timeout: .zero)
        let again = try await q.receive(max: 1, visibilityTimeout: .seconds(30), wait: .zero)
        #expect(again.first?.receiveCount == 2)
        clock.advance(by: .seconds(31))
        #expect(try await q.state(ofJob: "v") == .queued(receiveCount: 2), "visible again when its timeout runs out")
    }

    @Test(arguments: Backend.allCases)
    func longPollReturnsWhenAMessageArrives(_ backend: Backend) async throws {
        let q = try backend.makeQueue()
        let start = ContinuousClock.now
        #expect(try await q.receive(max: 1, visibilityTimeout: .seconds(30), wait: .milliseconds(250)).isEmpty)
        #expect(ContinuousClock.now - start >= .milliseconds(250), "an empty long poll waits its whole wait")
        // (The clock read before the sender exists: it sends 200 ms after its start, however
        // long this thread then waits to run the poll.)
        let polled = ContinuousClock.now
        let sender = Task {
            try await Task.sleep(for: .milliseconds(200))
            _ = try await q.send(QueueTestData.message("late"))
        }
        // A long wait: a message in the answer means the poll returned when it arrived, before
        // its wait ran out (however late a loaded machine runs the sender).
        let got = try await q.receive(max: 1, visibilityTimeout: .seconds(30), wait: .seconds(120))
        let waited = ContinuousClock.now - polled
        try await sender.value
        #expect(got.first?.jobID == "late", "the poll returned with the message that arrived during it")
        #expect(waited >= .milliseconds(150), "returned \(waited) after the poll began, before the message was sent")
    }

    @Test(arguments: Backend.allCases)
    func deadLettersKeepBodyAndCountAndRedriveResetsIt(_ backend: Backend) async throws {
        let q = try backend.makeQueue(clock: ManualQueueClock())
        _ = try await q.send(QueueTestData.message("p"))
        var m = try await q.receive(max: 1, visibilityTimeout: .zero, wait: .zero)[0]
        m = try await q.receive(max: 1, visibilityTimeout: .seconds(30), wait: .zero)[0]
        #expect(m.receiveCount == 2)
        try await q.deadLetter(m, reason: "internal: boom")
        #expect(try await q.depth() == QueueDepth(visible: 0, inFlight: 0, deadLettered: 1))
        #expect(try await q.state(ofJob: "p") == .deadLettered(receiveCount: 2))
        #expect(try await q.redrive(limit: nil) == 1)
        #expect(try await q.depth() == QueueDepth(visible: 1, inFlight: 0, deadLettered: 0))
        let back = try await q.receive(max: 1, visibilityTimeout: .seconds(30), wait: .zero)
        #expect(back.first?.receiveCount == 1)
        #expect(back.first?.body == QueueTestData.ols("p"))
    }
}
