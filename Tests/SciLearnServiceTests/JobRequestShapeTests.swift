import SciLearnService
import Testing
import SciLearnTestSupport

/// What queue front ends read of a request before it runs: the shape check `submit` applies
/// (the errors running it would give), and the id a worker keys a foreign message by.
@Suite(.ownThread(.computing)) struct JobRequestShapeTests {
    @Test(arguments: [
        (#"{"task":"linear_regression","data":{"X":[[1],[2]],"y":[1,2]}}"#, nil as String?),
        (#"{"id":"a-1","task":"predict","params":{"model":{}},"data":{"X":[[1]]}}"#, "a-1"),
    ])
    func wellShapedRequestsPass(_ body: String, _ id: String?) throws {
        let (given, _) = try JobRequest.envelope(Array(body.utf8), limits: ServiceLimits())
        #expect(given == id)
    }

    @Test(arguments: [
        ("[1]", ErrorCode.invalidJSON),
        (#"{"task":"linear_regression","params":{"alpah":1},"data":{"X":[[1]],"y":[1]}}"#, .invalidParams),
        (#"{"task":"linear_regression","data":[null,null]}"#, .invalidData),
        (#"{"task":"linear_regression"}"#, .invalidData),
    ])
    func badShapesGetTheCodeRunningThemWouldGive(_ body: String, _ code: ErrorCode) {
        let bytes = Array(body.utf8)
        #expect(throws: ServiceError.self) { try JobRequest.envelope(bytes, limits: ServiceLimits()) }
        do {
            _ = try JobRequest.envelope(bytes, limits: ServiceLimits())
        } catch {
            #expect(error.code == code)
            #expect(SciLearnService().run(body: bytes).errorCode == code, "the same code as running it")
        }
    }

    @Test func theGivenIDIsReadWhateverElseIsWrong() {
        let limits = ServiceLimits()
        #expect(JobRequest.givenID(in: Array(#"{"id":"x-9","task":"nope","data":[1]}"#.utf8), limits: limits) == "x-9")
        #expect(JobRequest.givenID(in: Array(#"{"task":"linear_regression"}"#.utf8), limits: limits) == nil)
        #expect(JobRequest.givenID(in: Array(#"{"id":"bad id"}"#.utf8), limits: limits) == nil)
        #expect(JobRequest.givenID(in: Array("not json".utf8), limits: limits) == nil)
    }
}
