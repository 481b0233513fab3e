import Foundation
import Testing
@testable import SciLearnService
import SciLearnTestSupport

/// Bad inputs to the linear-model family, each answered by the contract's error naming the
/// field (the conformance suite adds the generic ones: typos, nulls, ragged rows, huge shapes);
/// and `predict` with each family member's fit response.
@Suite(.ownThread(.computing)) struct LinearModelInputTests {
    static func example(_ task: String) throws -> [String: Any] {
        try TaskConformanceTests.example(task)
    }

    static func with(_ request: [String: Any], params: [String: Any] = [:], data: [String: Any] = [:]) -> [String: Any] {
        var r = request
        var p = r["params"] as? [String: Any] ?? [:]
        for (k, v) in params { p[k] = v }
        r["params"] = p
        var d = r["data"] as! [String: Any]
        for (k, v) in data { d[k] = v }
        r["data"] = d
        return r
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let task: String
        let params: [String: String]   // JSON texts
        let data: [String: String]
        let code: String
        let mentions: [String]
        var testDescription: String { "\(task) \(params) \(data.keys.sorted())" }
    }

    static let bad: [Bad] = [
        Bad(task: "ridge", params: ["alpha": "-1"], data: [:], code: "invalid_params", mentions: ["params.alpha", ">= 0"]),
        Bad(task: "ridge", params: ["alpha": "\"1\""], data: [:], code: "invalid_params", mentions: ["params.alpha", "number"]),
        Bad(task: "ridge", params: ["fit_intercept": "1"], data: [:], code: "invalid_params", mentions: ["params.fit_intercept", "boolean"]),
        Bad(task: "ridge", params: [:], data: ["X": "[[1, \"a\"], [2, 3]]", "y": "[1, 2]"], code: "invalid_data", mentions: ["data.X[0][1]", "number"]),
        Bad(task: "ridge", params: [:], data: ["X": "[[1, 2], [2, 3]]", "y": "[1, 2, 3]"], code: "invalid_data", mentions: ["data.y", "3"]),
        Bad(task: "ridge_cv", params: ["alphas": "[]"], data: [:], code: "invalid_params", mentions: ["params.alphas"]),
        Bad(task: "ridge_cv", params: ["alphas": "[1, 0]"], data: [:], code: "invalid_params", mentions: ["params.alphas[1]", "> 0"]),
        Bad(task: "ridge_cv", params: ["alphas": "[1, -2]"], data: [:], code: "invalid_params", mentions: ["params.alphas[1]"]),
        Bad(task: "ridge_cv", params: ["alphas": "0.5"], data: [:], code: "invalid_params", mentions: ["params.alphas", "array"]),
        Bad(task: "ridge_cv", params: [:], data: ["X": "[[1, 2]]", "y": "[1]"], code: "invalid_data", mentions: ["data.X", "2 samples"]),
        Bad(task: "lasso", params: ["alpha": "-0.1"], data: [:], code: "invalid_params", mentions: ["params.alpha", ">= 0"]),
        Bad(task: "lasso", params: ["max_iter": "0"], data: [:], code: "invalid_params", mentions: ["params.max_iter", ">= 1"]),
        Bad(task: "lasso", params: ["max_iter": "2.5"], data: [:], code: "invalid_params", mentions: ["params.max_iter", "integer"]),
        Bad(task: "lasso", params: ["tol": "-1e-4"], data: [:], code: "invalid_params", mentions: ["params.tol", ">= 0"]),
        Bad(task: "lasso", params: ["l1_ratio": "0.5"], data: [:], code: "invalid_params", mentions: ["params.l1_ratio"]),
        Bad(task: "elastic_net", params: ["l1_ratio": "1.5"], data: [:], code: "invalid_params", mentions: ["params.l1_ratio", "[0, 1]"]),
        Bad(task: "elastic_net", params: ["l1_ratio": "-0.01"], data: [:], code: "invalid_params", mentions: ["params.l1_ratio", "[0, 1]"]),
        Bad(task: "elastic_net", params: [:], data: ["y": "[\"a\", \"b\"]"], code: "invalid_data", mentions: ["data.y"]),
        Bad(task: "logistic_regression", params: ["C": "0"], data: [:], code: "invalid_params", mentions: ["params.C", "> 0"]),
        Bad(task: "logistic_regression", params: ["C": "-1"], data: [:], code: "invalid_params", mentions: ["params.C", "> 0"]),
        Bad(task: "logistic_regression", params: ["penalty": "\"l1\""], data: [:], code: "invalid_params", mentions: ["params.penalty", "l2"]),
        Bad(task: "logistic_regression", params: ["class_weight": "\"auto\""], data: [:], code: "invalid_params", mentions: ["params.class_weight", "balanced"]),
        Bad(task: "logistic_regression", params: ["tol": "0"], data: [:], code: "invalid_params", mentions: ["params.tol", "> 0"]),
        Bad(task: "logistic_regression", params: ["max_iter": "0"], data: [:], code: "invalid_params", mentions: ["params.max_iter", ">= 1"]),
        Bad(task: "logistic_regression", params: ["c": "1"], data: [:], code: "invalid_params", mentions: ["params.c", "did you mean 'C'"]),
        Bad(task: "logistic_regression", params: [:], data: ["X": "[[1], [2], [3]]", "y": "[\"a\", \"a\", \"a\"]"], code: "invalid_data", mentions: ["data.y", "one class"]),
        Bad(task: "logistic_regression", params: [:], data: ["X": "[[1], [2], [3]]", "y": "[1, \"a\", 2]"], code: "invalid_data", mentions: ["data.y[1]"]),
        Bad(task: "logistic_regression", params: [:], data: ["X": "[[1], [2], [3]]", "y": "[1, 0]"], code: "invalid_data", mentions: ["data.y", "3"]),
        // A regression target passed to a classifier: refused as scikit-learn refuses it.
        Bad(task: "logistic_regression", params: [:], data: ["X": "[[1], [2], [3]]", "y": "[1, 0.25, 2.5]"], code: "invalid_data",
            mentions: ["data.y[1]", "continuous", "integers or strings"]),
        Bad(task: "logistic_regression", params: [:], data: ["X": "[[1], [2], [3]]", "y": "[true, false, true]"], code: "invalid_data",
            mentions: ["data.y[0]", "boolean"]),
        Bad(task: "logistic_regression", params: [:], data: ["X": "[[1, \"x\"], [2, 1], [3, 0]]", "y": "[1, 0, 1]"], code: "invalid_data", mentions: ["data.X[0][1]"]),
        Bad(task: "logistic_regression", params: ["penalty": "\"none\""],
            data: ["X": "[[1], [2], [3], [4], [5], [6]]", "y": "[0, 0, 0, 1, 1, 1]"], code: "numerical_failure", mentions: ["perfect separation"]),
        // Quasi-complete: x ≤ 2 is always 0 and x ≥ 4 always 1; only x = 3 holds both classes.
        Bad(task: "logistic_regression", params: ["penalty": "\"none\""],
            data: ["X": "[[1], [2], [3], [3], [4], [5]]", "y": "[0, 0, 0, 1, 1, 1]"], code: "numerical_failure", mentions: ["quasi-separation", "penalty"]),
        // With a penalty the same data has a unique, finite answer.
        Bad(task: "logistic_regression", params: ["penalty": "\"l2\"", "C": "0"],
            data: ["X": "[[1], [2], [3], [3], [4], [5]]", "y": "[0, 0, 0, 1, 1, 1]"], code: "invalid_params", mentions: ["params.C"]),
    ]

    @Test(arguments: bad)
    func badInputIsNamed(_ b: Bad) throws {
        var request = try Self.example(b.task)
        if b.data["X"] != nil { request = Self.with(request, data: ["feature_names": NSNull()]) }
        var params = request["params"] as? [String: Any] ?? [:]
        for (k, v) in b.params { params[k] = try JSONSerialization.jsonObject(with: Data(v.utf8), options: .fragmentsAllowed) }
        request["params"] = params
        var data = request["data"] as! [String: Any]
        data.removeValue(forKey: "feature_names")
        for (k, v) in b.data { data[k] = try JSONSerialization.jsonObject(with: Data(v.utf8), options: .fragmentsAllowed) }
        request["data"] = data
        let (_, response) = try TaskConformanceTests.run(request)
        let e = TaskConformanceTests.error(response)
        #expect(e?.code == b.code, "\(b.testDescription): \(response)")
        for m in b.mentions { #expect(e?.message.contains(m) == true, "'\(e?.message ?? "ok")' should mention '\(m)'") }
    }

    /// Each fit's whole response is a model for `predict`: regression models give X·coef +
    /// intercept; logistic regression gives labels of the fitted type and probabilities that
    /// sum to one.
    @Test(arguments: ["ridge", "ridge_cv", "lasso", "elastic_net", "logistic_regression"])
    func predictWithEachFit(_ task: String) throws {
        let request = try Self.example(task)
        let (_, fit) = try TaskConformanceTests.run(request)
        #expect(fit["status"] as? String == "ok")
        let x = (request["data"] as! [String: Any])["X"] as! [[Double]]
        let names = (request["data"] as! [String: Any])["feature_names"]!
        let (_, predicted) = try TaskConformanceTests.run(["task": "predict", "params": ["model": fit], "data": ["X": x, "feature_names": names]])
        let result = try #require(predicted["result"] as? [String: Any], "\(predicted)")
        let model = fit["result"] as! [String: Any]
        if task == "logistic_regression" {
            let labels = result["predictions"] as! [String]
            let probabilities = result["probabilities"] as! [[Double]]
            let classes = model["classes"] as! [String]
            #expect(labels.count == x.count && probabilities.count == x.count)
            for (i, row) in probabilities.enumerated() {
                #expect(abs(row.reduce(0, +) - 1) < 1e-14)
                #expect(labels[i] == classes[row.firstIndex(of: row.max()!)!])
            }
            // A model whose coef rows do not fit its classes is named.
            var broken = fit
            var r = model
            r["coef"] = [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
            broken["result"] = r
            let (_, bad) = try TaskConformanceTests.run(["task": "predict", "params": ["model": broken], "data": ["X": x]])
            #expect(TaskConformanceTests.error(bad)?.code == "invalid_params")
            #expect(TaskConformanceTests.error(bad)?.message.contains("params.model.result.coef") == true)
        } else {
            let coef = model["coef"] as! [Double], b = model["intercept"] as! Double
            let got = result["predictions"] as! [Double]
            for (i, row) in x.enumerated() {
                let want = zip(row, coef).reduce(b) { $0 + $1.0 * $1.1 }
                #expect(abs(got[i] - want) <= 1e-13 * max(1, abs(want)))
            }
        }
        // Columns in another order are refused by name.
        let reversed = (names as! [String]).reversed().map { $0 }
        let (_, swapped) = try TaskConformanceTests.run(["task": "predict", "params": ["model": fit], "data": ["X": x.map { Array($0.reversed()) }, "feature_names": reversed]])
        #expect(TaskConformanceTests.error(swapped)?.code == "invalid_data")
    }
}
