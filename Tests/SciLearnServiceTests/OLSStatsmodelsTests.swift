import Foundation
import Testing
@testable import SciLearnService
import SciLearnTestSupport

/// `linear_regression` through the job contract against statsmodels OLS
/// (Tests/Fixtures/ols-statsmodels.json): every result field at the tolerance its math supports
/// (`ReferenceTolerance.ols`, with the reasons).
@Suite(.ownThread(.computing)) struct OLSStatsmodelsTests {
    static func cases() throws -> [[String: Any]] {
        let obj = try Fixtures.json("ols-statsmodels.json") as! [String: Any]
        return obj["cases"] as! [[String: Any]]
    }

    static func run(_ request: [String: Any]) throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: request)
        let response = SciLearnService().run(body: body)
        return try JSONSerialization.jsonObject(with: Data(response.json.utf8)) as! [String: Any]
    }

    @Test func everyFieldMatchesStatsmodels() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 6)
        #expect(cases.contains { ($0["data"] as! [String: Any])["generated"] != nil }, "a case with several QR leaves")
        for c in cases {
            let name = c["name"] as! String
            var data = c["data"] as! [String: Any]
            if let spec = data["generated"] as? [String: Any] {
                let (x, y) = GeneratedDesign.make(spec)
                #expect(x.count > 32_768, "more rows than one QR leaf")
                data = ["X": x, "y": y]
            }
            let response = try Self.run(["id": "fixture", "task": "linear_regression", "params": c["params"]!, "data": data])
            #expect(response["status"] as? String == "ok", "\(name): \(response)")
            guard let result = response["result"] as? [String: Any] else { continue }
            // Every expected field at its own tolerance (the result may carry more fields).
            for d in ReferenceTolerance.differences(result, c["expected"] as! [String: Any], path: name, tolerances: ReferenceTolerance.ols) {
                Issue.record("\(d) (statsmodels second)")
            }
            let warnings = response["warnings"] as! [String]
            if ["collinear", "wider_than_tall", "wide_with_repeated_row"].contains(name) {
                #expect(warnings.contains { $0.contains("rank deficient") }, "a duplicated column must warn")
            } else {
                #expect(!warnings.contains { $0.contains("rank deficient") }, "\(name) is full rank")
            }
            if name == "intercept_only" {
                #expect(warnings.contains { $0.contains("df_model is 0") }, "a null F needs its warning")
            }
            if let names = (c["data"] as! [String: Any])["feature_names"] as? [String] {
                #expect(result["terms"] as? [String] == ["intercept"] + names)
            }
        }
    }

    /// A fit response is itself a usable model: predict with it reproduces X b + intercept.
    @Test func predictRoundTrip() throws {
        let c = try Self.cases().first { $0["name"] as? String == "well_conditioned" }!
        let fit = try Self.run(["task": "linear_regression", "data": c["data"]!])
        let data = c["data"] as! [String: Any]
        let x = data["X"] as! [[Double]]
        let pred = try Self.run(["task": "predict", "params": ["model": fit], "data": ["X": Array(x.prefix(5))]])
        #expect(pred["status"] as? String == "ok", "\(pred)")
        let result = fit["result"] as! [String: Any]
        let coef = result["coef"] as! [Double], b0 = result["intercept"] as! Double
        let got = (pred["result"] as! [String: Any])["predictions"] as! [Double]
        for (i, row) in x.prefix(5).enumerated() {
            let want = zip(row, coef).reduce(b0) { $0 + $1.0 * $1.1 }
            #expect(abs(got[i] - want) <= ReferenceTolerance.ols["predictions"]!.relative * abs(want))
        }
    }
}
