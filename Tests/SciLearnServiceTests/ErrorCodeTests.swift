import Foundation
import Testing
import SciLearnTestSupport
@testable import SciLearnService

/// Every error code `linear_regression` / `predict` can produce, from a bad input each, and
/// hostile bodies that must not crash.
@Suite(.ownThread(.computing)) struct ErrorCodeTests {
    static let good = #"{"task":"linear_regression","data":{"X":[[1,2],[2,1],[3,5],[4,3],[5,7]],"y":[1,2,3.5,4,5.5]}}"#

    static func run(_ body: String, limits: ServiceLimits = ServiceLimits()) -> (code: String?, message: String) {
        run(Array(body.utf8), limits: limits)
    }

    static func run(_ body: [UInt8], limits: ServiceLimits = ServiceLimits()) -> (code: String?, message: String) {
        let response = SciLearnService(limits: limits).run(body: body)
        if case .failure(let e) = response.outcome { return (e.code.rawValue, e.message) }
        return (nil, "")
    }

    struct Case: Sendable, CustomStringConvertible {
        let body: String
        let code: String
        let mentions: [String]
        var description: String { "\(code): \(body.prefix(60))" }
    }

    static let cases: [Case] = [
        Case(body: "not json", code: "invalid_json", mentions: ["not valid JSON"]),
        Case(body: "", code: "invalid_json", mentions: ["end of input"]),
        Case(body: "[1,2]", code: "invalid_json", mentions: ["must be a JSON object"]),
        Case(body: #"{"task":"linear_regression","task":"predict"}"#, code: "invalid_json", mentions: ["duplicate key"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[[1e999]],"y":[1]}}"#, code: "invalid_json", mentions: ["range of a double"]),
        Case(body: #"{"data":{}}"#, code: "unknown_task", mentions: ["task", "required"]),
        Case(body: #"{"task":"linear_regresion"}"#, code: "unknown_task", mentions: ["did you mean 'linear_regression'"]),
        Case(body: #"{"task":42}"#, code: "unknown_task", mentions: ["must be a string"]),
        Case(body: #"{"id":"bad id!","task":"linear_regression"}"#, code: "invalid_params", mentions: ["id"]),
        Case(body: #"{"task":"linear_regression","parms":{}}"#, code: "invalid_params", mentions: ["parms", "did you mean 'params'"]),
        Case(body: #"{"task":"linear_regression","params":{"fit_intercep":true},"data":{"X":[[1]],"y":[1]}}"#, code: "invalid_params", mentions: ["params.fit_intercep", "did you mean 'fit_intercept'"]),
        Case(body: #"{"task":"linear_regression","params":{"fit_intercept":"yes"},"data":{"X":[[1]],"y":[1]}}"#, code: "invalid_params", mentions: ["params.fit_intercept", "boolean"]),
        Case(body: #"{"task":"linear_regression","params":{"alpha":1.5},"data":{"X":[[1]],"y":[1]}}"#, code: "invalid_params", mentions: ["params.alpha", "(0, 1)", "1.5"]),
        Case(body: #"{"task":"linear_regression","params":{"alpha":"0.1"},"data":{"X":[[1]],"y":[1]}}"#, code: "invalid_params", mentions: ["params.alpha", "must be a number", "\"0.1\""]),
        Case(body: #"{"task":"linear_regression","params":[1]}"#, code: "invalid_params", mentions: ["params", "object"]),
        Case(body: #"{"task":"linear_regression"}"#, code: "invalid_data", mentions: ["data", "required"]),
        Case(body: #"{"task":"linear_regression","data":{"y":[1,2]}}"#, code: "invalid_data", mentions: ["data.X", "required"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[[1,2],[3,null]],"y":[1,2]}}"#, code: "invalid_data", mentions: ["data.X[1][1]", "missing values", "impute"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[[1,2],[3]],"y":[1,2]}}"#, code: "invalid_data", mentions: ["data.X[1]", "same length"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[[1,"a"]],"y":[1]}}"#, code: "invalid_data", mentions: ["data.X[0][1]", "number"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[[1],[2]],"y":[1]}}"#, code: "invalid_data", mentions: ["data.y", "1 values", "2"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[[1],[2]],"y":[1,null]}}"#, code: "invalid_data", mentions: ["data.y[1]", "missing"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[],"y":[]}}"#, code: "invalid_data", mentions: ["data.X", "at least 1 row"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[[1]],"y":[1],"weights":[1]}}"#, code: "invalid_data", mentions: ["data.weights", "unknown field"]),
        Case(body: #"{"task":"linear_regression","data":{"X":[[1],[2]],"y":[1,2],"feature_names":["a","b"]}}"#, code: "invalid_data", mentions: ["data.feature_names", "2 names", "1 columns"]),
        Case(body: #"{"task":"linear_regression","data":[1]}"#, code: "invalid_data", mentions: ["data", "object"]),
        Case(body: #"{"task":"linear_regression","params":{"fit_intercept":false},"data":{"X":[[],[]],"y":[1,2]}}"#, code: "invalid_data", mentions: ["data.X", "nothing to fit"]),
        Case(body: #"{"task":"predict","data":{"X":[[1]]}}"#, code: "invalid_params", mentions: ["params.model", "required"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"linear_regression","status":"error"}},"data":{"X":[[1]]}}"#, code: "invalid_params", mentions: ["params.model.status"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"predict","status":"ok","result":{}}},"data":{"X":[[1]]}}"#, code: "invalid_params", mentions: ["params.model.task", "predict"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"kmeans","status":"ok","result":{}}},"data":{"X":[[1]]}}"#, code: "invalid_params", mentions: ["params.model.result.cluster_centers"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"kmeans","status":"ok","result":{"cluster_centers":[[1,2],[3]]}}},"data":{"X":[[1,2]]}}"#, code: "invalid_params", mentions: ["params.model.result.cluster_centers[1]"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"kmeans","status":"ok","result":{"cluster_centers":[[1,2]]}}},"data":{"X":[[1,2,3]]}}"#, code: "invalid_data", mentions: ["data.X", "3 columns"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"linear_regression","status":"ok","result":{"coef":[1,"x"],"intercept":0}}},"data":{"X":[[1,2]]}}"#, code: "invalid_params", mentions: ["params.model.result.coef[1]"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"linear_regression","status":"ok","result":{"coef":[1,2],"intercept":0}}},"data":{"X":[[1,2,3]]}}"#, code: "invalid_data", mentions: ["data.X", "3 columns", "2"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"linear_regression","status":"ok","result":{"coef":[1,2],"intercept":0,"terms":["intercept","price","sessions"]}}},"data":{"X":[[1,2]],"feature_names":["price","age"]}}"#, code: "invalid_data", mentions: ["data.feature_names[1]", "\"age\"", "\"sessions\""]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"linear_regression","status":"ok","result":{"intercept":0}}},"data":{"X":[[1,2]]}}"#, code: "invalid_params", mentions: ["params.model.result.coef", "required"]),
        Case(body: #"{"task":"predict","params":{"model":{"task":"predict","status":"ok","result":{}}},"data":{"X":[[1]]}}"#, code: "invalid_params", mentions: ["params.model.task", "cannot predict", "linear_regression"]),
    ]

    @Test(arguments: cases)
    func badInputGetsItsCode(_ c: Case) {
        let (code, message) = Self.run(c.body)
        #expect(code == c.code, "\(c.body) -> \(code ?? "ok"): \(message)")
        for m in c.mentions { #expect(message.contains(m), "message '\(message)' should mention '\(m)'") }
    }

    @Test func goodRequestSucceeds() {
        #expect(Self.run(Self.good).code == nil)
    }

    @Test func tooLarge() {
        let small = ServiceLimits(maxBodyBytes: 50)
        let r = Self.run(Self.good, limits: small)
        #expect(r.code == "too_large" && r.message.contains("limit is 50"))
        let cells = ServiceLimits(maxCells: 9)
        let r2 = Self.run(Self.good, limits: cells)
        #expect(r2.code == "too_large" && r2.message.contains("data.X"))
        #expect(ErrorCode.tooLarge.httpStatus == 413)
    }

    @Test func hostileBodiesDoNotCrash() {
        // A million nested arrays: rejected by the depth limit, not by a stack overflow.
        let deep = String(repeating: "[", count: 1_000_000)
        let r = Self.run(deep)
        #expect(r.code == "invalid_json" && r.message.contains("nesting"))
        let deepObject = String(repeating: #"{"a":"#, count: 100_000)
        #expect(Self.run(deepObject).code == "invalid_json")
        // Invalid UTF-8, control characters, lone surrogates, truncated input.
        #expect(Self.run([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]).code == "invalid_json")
        #expect(Self.run("{\"task\":\"a\u{01}\"}").code == "invalid_json")
        #expect(Self.run(#"{"task":"\ud800"}"#).code == "invalid_json")
        #expect(Self.run(#"{"task":"linear_regression","data":{"X":[[1,2],[3,4"#).code == "invalid_json")
        // A large but legal body (5 MB of numbers) parses and runs.
        let rows = (0..<100_000).map { i in "[\(i % 97),\((i * 7) % 13),\(i % 5)]" }.joined(separator: ",")
        let ys = (0..<100_000).map { "\(($0 * 31) % 11)" }.joined(separator: ",")
        #expect(Self.run(#"{"task":"linear_regression","data":{"X":[\#(rows)],"y":[\#(ys)]}}"#).code == nil)
    }

    @Test func errorTableIsTheContracts() {
        let table: [String: (Int, Bool)] = [
            "invalid_json": (400, false), "unknown_task": (400, false), "invalid_params": (400, false),
            "invalid_data": (400, false), "too_large": (413, false), "numerical_failure": (422, false),
            "overloaded": (503, true), "timeout": (504, true), "internal": (500, true),
            // Transport-level (HTTP only; never on a queue).
            "unauthorized": (401, false), "not_found": (404, false), "method_not_allowed": (405, false),
            "bad_request": (400, false), "request_timeout": (408, false),
        ]
        #expect(ErrorCode.allCases.count == table.count)
        for code in ErrorCode.allCases {
            let want = table[code.rawValue]!
            #expect(code.httpStatus == want.0 && code.isRetried == want.1, "\(code.rawValue)")
        }
    }

    @Test func overflowingPredictionIsNullWithWarning() throws {
        let body = #"{"task":"predict","params":{"model":{"task":"linear_regression","status":"ok","result":{"coef":[1e308],"intercept":0}}},"data":{"X":[[1],[10]]}}"#
        let obj = try JSONSerialization.jsonObject(with: Data(SciLearnService().run(body: Array(body.utf8)).json.utf8)) as! [String: Any]
        let predictions = (obj["result"] as! [String: Any])["predictions"] as! [Any]
        #expect((predictions[0] as? Double) == 1e308 && predictions[1] is NSNull)
        #expect((obj["warnings"] as! [String]).contains { $0.hasPrefix("predictions: beyond the range of a double") })
    }

    @Test func idIsEchoedOrAssigned() {
        let r = SciLearnService().run(body: Array(#"{"id":"ab-1:x.y_z","task":"linear_regression","data":{"X":[[1],[2],[3]],"y":[1,2,4]}}"#.utf8))
        #expect(r.id == "ab-1:x.y_z" && r.task == "linear_regression")
        let r2 = SciLearnService().run(body: Array(#"{"task":"linear_regression","data":{"X":[[1],[2],[3]],"y":[1,2,4]}}"#.utf8))
        #expect(r2.id.map { UUID(uuidString: $0) != nil } == true)
        #expect(JobRequest.isValidID(String(repeating: "a", count: 128)))
        #expect(!JobRequest.isValidID(String(repeating: "a", count: 129)))
        #expect(!JobRequest.isValidID(""))
        #expect(!JobRequest.isValidID(".") && !JobRequest.isValidID(".."), "an id is a URL path segment")
        #expect(JobRequest.isValidID("...") && JobRequest.isValidID(".a"))
        let dots = SciLearnService().run(body: Array(#"{"id":"..","task":"linear_regression","data":{"X":[[1],[2],[3]],"y":[1,2,4]}}"#.utf8))
        #expect(dots.errorCode == .invalidParams)
    }

    /// Undefined quantities are null with a warning, never NaN or Infinity in the JSON.
    @Test func undefinedStatisticsAreNullWithWarnings() throws {
        // Exactly as many terms as samples: df_resid = 0.
        let r = SciLearnService().run(body: Array(#"{"task":"linear_regression","data":{"X":[[1],[2]],"y":[1,3]}}"#.utf8))
        let json = r.json
        #expect(!json.contains("nan") && !json.contains("inf"))
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let result = obj["result"] as! [String: Any]
        #expect(result["sigma"] is NSNull)
        #expect((result["std_errors"] as! [Any]).allSatisfy { $0 is NSNull })
        #expect((obj["warnings"] as! [String]).contains { $0.contains("df_resid is 0") })
        // Constant y: R² undefined.
        let c = SciLearnService().run(body: Array(#"{"task":"linear_regression","data":{"X":[[1],[2],[3],[4]],"y":[2,2,2,2]}}"#.utf8))
        let co = try JSONSerialization.jsonObject(with: Data(c.json.utf8)) as! [String: Any]
        #expect((co["result"] as! [String: Any])["r_squared"] is NSNull)
        #expect((co["warnings"] as! [String]).contains { $0.contains("r_squared") && $0.contains("zero variance") })
    }
}
