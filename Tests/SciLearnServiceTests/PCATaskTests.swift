import Foundation
import SciLearnTestSupport
import Testing
@testable import SciLearnService

/// `pca` and `transform` through the service: every bad input of the issue gets the contract's
/// error naming its field; a constant column gives a result with no NaN; `auto` records the
/// solver it chose; every solver gives the same components and signs; a fit's response is the
/// model `transform` applies (whitened when the fit was); a seeded randomized fit gives the same
/// bytes twice.
@Suite(.ownThread(.computing)) struct PCATaskTests {
    static let x = #"[[2.5,2.4,1.0],[0.5,0.7,2.1],[2.2,2.9,0.9],[1.9,2.2,1.4],[3.1,3.0,0.2],[2.3,2.7,1.1],[2.0,1.6,1.9],[1.0,1.1,2.6],[1.5,1.6,1.8],[1.1,0.9,2.4]]"#

    static func body(_ params: String, x: String = PCATaskTests.x, task: String = "pca") -> String {
        #"{"id":"pca","task":"\#(task)","params":{\#(params)},"data":{"X":\#(x)}}"#
    }

    static func run(_ body: String) throws -> (code: String?, message: String, object: [String: Any]) {
        try ServiceRun.outcome(body)
    }

    static func result(_ params: String, x: String = PCATaskTests.x) throws -> [String: Any] {
        let (code, message, object) = try run(body(params, x: x))
        #expect(code == nil, "\(message)")
        return object["result"] as? [String: Any] ?? [:]
    }

    struct Bad: Sendable, CustomStringConvertible {
        let params: String
        var x: String = PCATaskTests.x
        let code: String
        let mentions: [String]
        var task = "pca"
        var description: String { "\(task) \(code): \(params) \(x.prefix(30))" }
    }

    static let bad: [Bad] = [
        Bad(params: #""n_components":4"#, code: "invalid_params", mentions: ["params.n_components", "min(n_samples, n_features) = 3"]),
        Bad(params: #""n_components":0"#, code: "invalid_params", mentions: ["params.n_components", "integer >= 1"]),
        Bad(params: #""n_components":1.5"#, code: "invalid_params", mentions: ["params.n_components", "(0, 1)"]),
        Bad(params: #""n_components":-0.5"#, code: "invalid_params", mentions: ["params.n_components"]),
        Bad(params: #""n_components":"mle""#, code: "invalid_params", mentions: ["params.n_components"]),
        Bad(params: #""n_components":0.5,"svd_solver":"randomized""#, code: "invalid_params", mentions: ["params.n_components", "full", "covariance_eigh"]),
        Bad(params: #""svd_solver":"arpack""#, code: "invalid_params", mentions: ["params.svd_solver", "auto", "full", "covariance_eigh", "randomized"]),
        Bad(params: #""n_oversamples":0"#, code: "invalid_params", mentions: ["params.n_oversamples", ">= 1"]),
        Bad(params: #""iterated_power":-1"#, code: "invalid_params", mentions: ["params.iterated_power"]),
        Bad(params: #""iterated_power":1000000000,"svd_solver":"randomized","n_components":1"#, code: "too_large", mentions: ["floating-point operations"]),
        Bad(params: #""iterated_power":"many""#, code: "invalid_params", mentions: ["params.iterated_power", "auto"]),
        Bad(params: #""random_state":-1"#, code: "invalid_params", mentions: ["params.random_state"]),
        Bad(params: #""whiten":"yes""#, code: "invalid_params", mentions: ["params.whiten", "boolean"]),
        Bad(params: #""return_transformed":1"#, code: "invalid_params", mentions: ["params.return_transformed", "boolean"]),
        Bad(params: "", x: "[[1,2,3]]", code: "invalid_data", mentions: ["data.X", "at least 2"]),
        Bad(params: "", x: "[[1,2],[3,null]]", code: "invalid_data", mentions: ["data.X[1][1]"]),
        Bad(params: "", x: #"[[1,2],[3,"a"]]"#, code: "invalid_data", mentions: ["data.X[1][1]"]),
        Bad(params: "", x: "[[1,2],[3]]", code: "invalid_data", mentions: ["data.X[1]"]),
        Bad(params: "", x: "[]", code: "invalid_data", mentions: ["data.X"]),
        Bad(params: "", x: "[[1,2],[1,2],[1,2]]", code: "invalid_data", mentions: ["data.X", "no variance"]),
        Bad(params: #""model":{"task":"kmeans","status":"ok","result":{"cluster_centers":[[1,2]]}}"#, code: "invalid_params", mentions: ["params.model.task", "kmeans", "pca"], task: "transform"),
        Bad(params: #""model":{"task":"pca","status":"ok","result":{"components":[[1,0]],"explained_variance":[1],"mean":[0,0],"whiten":false}}"#, code: "invalid_data", mentions: ["data.X", "3 columns", "2"], task: "transform"),
        Bad(params: #""model":{"task":"pca","status":"ok","result":{"components":[[1,0]],"explained_variance":[1],"mean":[0],"whiten":false}}"#, code: "invalid_params", mentions: ["params.model.result.mean"], task: "transform"),
        Bad(params: #""model":{"task":"pca","status":"ok","result":{"components":[[1,0],[0]],"explained_variance":[1,1],"mean":[0,0],"whiten":false}}"#, code: "invalid_params", mentions: ["params.model.result.components[1]"], task: "transform"),
        Bad(params: #""model":{"task":"pca","status":"ok","result":{"components":[[1,0]],"explained_variance":[1],"mean":[0,0]}}"#, code: "invalid_params", mentions: ["params.model.result.whiten"], task: "transform"),
        Bad(params: #""model":{"task":"linear_regression","status":"ok","result":{}}"#, code: "invalid_params", mentions: ["params.model.task", "linear_regression"], task: "transform"),
    ]

    @Test(arguments: bad)
    func badInputsAreNamed(_ c: Bad) throws {
        let (code, message, _) = try Self.run(Self.body(c.params, x: c.x, task: c.task))
        #expect(code == c.code, "\(message)")
        for m in c.mentions { #expect(message.contains(m), "\(message) should mention \(m)") }
    }

    /// A pca fit is not a model for predict: the error names the tasks that are.
    @Test func aPCAModelCannotPredict() throws {
        let fit = try Self.run(Self.body(#""n_components":2"#)).object
        let model = String(decoding: try JSONSerialization.data(withJSONObject: fit), as: UTF8.self)
        let (code, message, _) = try Self.run(Self.body(#""model":\#(model)"#, task: "predict"))
        #expect(code == "invalid_params")
        #expect(message.contains("params.model.task") && message.contains("pca") && message.contains("kmeans"), "\(message)")
    }

    /// A constant column is a direction of zero variance: a correct result, no NaN anywhere.
    @Test func aConstantColumnGivesAResultWithNoNaN() throws {
        let x = "[[1,5,2],[2,5,1],[3,5,4],[4,5,3],[5,5,6]]"
        for solver in ["full", "covariance_eigh", "auto"] {
            let r = try Self.result(#""svd_solver":"\#(solver)","whiten":true,"return_transformed":true"#, x: x)
            let text = String(decoding: try JSONSerialization.data(withJSONObject: r), as: UTF8.self)
            #expect(!text.contains("null") && !text.lowercased().contains("nan"), "\(solver): \(text)")
            let variance = r["explained_variance"] as! [Double]
            #expect(variance.count == 3 && abs(variance[2]) < 1e-12, "\(solver): \(variance)")
            // The constant column carries no weight in the components of positive variance.
            let components = r["components"] as! [[Double]]
            for c in 0..<2 { #expect(abs(components[c][1]) < 1e-12, "\(solver): component \(c) = \(components[c])") }
        }
    }

    /// Every solver the same components and signs (the contract's rule), and auto records its choice.
    @Test func everySolverGivesTheSameSignedComponents() throws {
        let full = try Self.result(#""n_components":2,"svd_solver":"full""#)
        for solver in ["covariance_eigh", "randomized"] {
            let other = try Self.result(#""n_components":2,"svd_solver":"\#(solver)","random_state":0"#)
            #expect(other["svd_solver"] as? String == solver)
            let a = full["components"] as! [[Double]], b = other["components"] as! [[Double]]
            for i in 0..<2 { for j in 0..<3 { #expect(abs(a[i][j] - b[i][j]) < 1e-10, "\(solver) [\(i)][\(j)]: \(a[i][j]) vs \(b[i][j])") } }
            for i in 0..<2 {
                let largest = b[i].max { abs($0) < abs($1) }!
                #expect(largest > 0, "\(solver) component \(i): \(b[i])")
            }
        }
        #expect(try Self.result(#""n_components":2"#)["svd_solver"] as? String == "full")
    }

    /// `transform` with a fit's whole response reproduces the fit's own projections (whitened
    /// when the fit was).
    @Test(arguments: [false, true])
    func transformAppliesTheFit(_ whiten: Bool) throws {
        let (_, _, fit) = try Self.run(Self.body(#""n_components":2,"whiten":\#(whiten),"return_transformed":true"#))
        let fitted = (fit["result"] as! [String: Any])["transformed"] as! [[Double]]
        let model = String(decoding: try JSONSerialization.data(withJSONObject: fit), as: UTF8.self)
        let (code, message, object) = try Self.run(Self.body(#""model":\#(model)"#, task: "transform"))
        #expect(code == nil, "\(message)")
        let t = (object["result"] as! [String: Any])["transformed"] as! [[Double]]
        #expect(t.count == fitted.count)
        for (a, b) in zip(t, fitted) { for (u, v) in zip(a, b) { #expect(abs(u - v) < 1e-12, "\(u) vs \(v)") } }
        if whiten {
            // Whitened projections have unit variance (ddof 1).
            for c in 0..<2 {
                let col = t.map { $0[c] }
                let m = col.reduce(0, +) / Double(col.count)
                let v = col.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(col.count - 1)
                #expect(abs(v - 1) < 1e-12, "component \(c) variance \(v)")
            }
        }
    }

    /// A seeded randomized fit gives the same bytes twice.
    @Test func aSeededRandomizedFitIsTheSameBytes() throws {
        let body = Self.body(#""n_components":2,"svd_solver":"randomized","random_state":7"#)
        let a = SciLearnService().run(body: Array(body.utf8)).json
        let b = SciLearnService().run(body: Array(body.utf8)).json
        #expect(a.replacingOccurrences(of: #""elapsed_ms":[0-9.]+"#, with: "", options: .regularExpression)
                == b.replacingOccurrences(of: #""elapsed_ms":[0-9.]+"#, with: "", options: .regularExpression))
    }
}
