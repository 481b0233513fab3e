import Foundation
import SciLearnTestSupport
import Testing
@testable import SciLearnService

/// `kmeans` and `mini_batch_kmeans` through the service: every bad input of the issue gets the
/// contract's error naming its field; degenerate data answers with a warning; a seeded request
/// gives the same bytes; its response is a model `predict` applies.
@Suite(.ownThread(.computing)) struct KMeansTaskTests {
    static let x = #"[[0.8,1.5],[1.2,2.5],[1.5,1.8],[4.8,9.5],[5.5,11.0],[6.1,10.2],[11.5,3.2],[12.8,4.1],[13.2,5.0]]"#

    static func body(_ params: String, x: String = KMeansTaskTests.x, task: String = "kmeans") -> String {
        #"{"id":"km","task":"\#(task)","params":{\#(params)},"data":{"X":\#(x)}}"#
    }

    static func run(_ body: String) throws -> (code: String?, message: String, object: [String: Any]) {
        try ServiceRun.outcome(body)
    }

    struct Bad: Sendable, CustomStringConvertible {
        let params: String
        var x: String = KMeansTaskTests.x
        let code: String
        let mentions: [String]
        var task = "kmeans"
        var description: String { "\(task) \(code): \(params) \(x.prefix(30))" }
    }

    static let bad: [Bad] = [
        Bad(params: #""n_clusters":10"#, code: "invalid_data", mentions: ["data.X", "n_clusters", "10"]),
        Bad(params: #""n_clusters":0"#, code: "invalid_params", mentions: ["params.n_clusters", ">= 1"]),
        Bad(params: #""n_clusters":2.5"#, code: "invalid_params", mentions: ["params.n_clusters", "integer"]),
        Bad(params: #""n_clusters":2,"init":[[1,2]]"#, code: "invalid_params", mentions: ["params.init", "n_clusters"]),
        Bad(params: #""n_clusters":2,"init":[[1],[2]]"#, code: "invalid_params", mentions: ["params.init", "columns"]),
        Bad(params: #""n_clusters":2,"init":[[1,2],[null,1]]"#, code: "invalid_params", mentions: ["params.init[1][0]"]),
        Bad(params: #""n_clusters":2,"init":"kmeans++""#, code: "invalid_params", mentions: ["params.init", "k-means++"]),
        Bad(params: #""algorithm":"full""#, code: "invalid_params", mentions: ["params.algorithm", "lloyd", "elkan"]),
        Bad(params: #""n_init":0"#, code: "invalid_params", mentions: ["params.n_init", ">= 1"]),
        Bad(params: #""n_init":"many""#, code: "invalid_params", mentions: ["params.n_init", "auto"]),
        Bad(params: #""max_iter":0"#, code: "invalid_params", mentions: ["params.max_iter"]),
        Bad(params: #""tol":-1"#, code: "invalid_params", mentions: ["params.tol"]),
        Bad(params: #""random_state":-1"#, code: "invalid_params", mentions: ["params.random_state"]),
        Bad(params: #""random_state":4294967296"#, code: "invalid_params", mentions: ["params.random_state"]),
        Bad(params: #""n_clusters":2"#, x: #"[[1,2],[3,null]]"#, code: "invalid_data", mentions: ["data.X[1][1]"]),
        Bad(params: #""n_clusters":2"#, x: #"[[1,2],[3,"a"]]"#, code: "invalid_data", mentions: ["data.X[1][1]"]),
        Bad(params: #""n_clusters":2"#, x: #"[[1,2],[3]]"#, code: "invalid_data", mentions: ["data.X[1]"]),
        Bad(params: #""n_clusters":1"#, x: #"[]"#, code: "invalid_data", mentions: ["data.X"]),
        Bad(params: #""batch_size":0"#, code: "invalid_params", mentions: ["params.batch_size", ">= 1"], task: "mini_batch_kmeans"),
        Bad(params: #""batch_size":1.5"#, code: "invalid_params", mentions: ["params.batch_size", "integer"], task: "mini_batch_kmeans"),
        Bad(params: #""n_clusters":10"#, code: "invalid_data", mentions: ["data.X", "n_clusters"], task: "mini_batch_kmeans"),
        Bad(params: #""n_clusters":0"#, code: "invalid_params", mentions: ["params.n_clusters"], task: "mini_batch_kmeans"),
        Bad(params: #""n_init":0"#, code: "invalid_params", mentions: ["params.n_init"], task: "mini_batch_kmeans"),
        Bad(params: #""max_iter":0"#, code: "invalid_params", mentions: ["params.max_iter"], task: "mini_batch_kmeans"),
        Bad(params: #""tol":-0.5"#, code: "invalid_params", mentions: ["params.tol"], task: "mini_batch_kmeans"),
        Bad(params: #""max_no_improvement":-1"#, code: "invalid_params", mentions: ["params.max_no_improvement"], task: "mini_batch_kmeans"),
        Bad(params: #""max_no_improvement":"never""#, code: "invalid_params", mentions: ["params.max_no_improvement"], task: "mini_batch_kmeans"),
        Bad(params: #""init_size":0"#, code: "invalid_params", mentions: ["params.init_size"], task: "mini_batch_kmeans"),
        Bad(params: #""reassignment_ratio":-0.1"#, code: "invalid_params", mentions: ["params.reassignment_ratio"], task: "mini_batch_kmeans"),
        Bad(params: #""n_clusters":2,"init":[[1,2]]"#, code: "invalid_params", mentions: ["params.init"], task: "mini_batch_kmeans"),
        Bad(params: #""random_state":-1"#, code: "invalid_params", mentions: ["params.random_state"], task: "mini_batch_kmeans"),
        Bad(params: #""n_clusters":2"#, x: #"[[1,2],[3,null]]"#, code: "invalid_data", mentions: ["data.X[1][1]"], task: "mini_batch_kmeans"),
        Bad(params: #""n_clusters":2"#, x: #"[[1,2],[3,"a"]]"#, code: "invalid_data", mentions: ["data.X[1][1]"], task: "mini_batch_kmeans"),
    ]

    @Test(arguments: bad)
    func badInputsAreNamed(_ c: Bad) throws {
        let (code, message, _) = try Self.run(Self.body(c.params, x: c.x, task: c.task))
        #expect(code == c.code, "\(message)")
        for m in c.mentions { #expect(message.contains(m), "\(message) should mention \(m)") }
    }

    @Test func constantDataAnswersWithAWarning() throws {
        let (code, _, object) = try Self.run(Self.body(#""n_clusters":3,"random_state":0"#, x: "[[2,3],[2,3],[2,3],[2,3]]"))
        #expect(code == nil)
        let warnings = object["warnings"] as! [String]
        #expect(warnings.contains { $0.hasPrefix("labels:") && $0.contains("only 1 distinct") }, "\(warnings)")
        #expect((object["result"] as! [String: Any])["inertia"] as? Double == 0)
    }

    /// `algorithm: "elkan"` runs Elkan's iterations: the same result as Lloyd's, no warning.
    @Test func elkanGivesLloydsResult() throws {
        let (code, _, elkan) = try Self.run(Self.body(#""n_clusters":3,"random_state":0,"algorithm":"elkan""#))
        let (_, _, lloyd) = try Self.run(Self.body(#""n_clusters":3,"random_state":0,"algorithm":"lloyd""#))
        #expect(code == nil)
        #expect((elkan["warnings"] as! [String]).isEmpty)
        let a = elkan["result"] as! [String: Any], b = lloyd["result"] as! [String: Any]
        #expect(a["labels"] as! [Int] == b["labels"] as! [Int])
        #expect(a["n_iter"] as! Int == b["n_iter"] as! Int)
        #expect(ReferenceTolerance.differences(a, b, path: "elkan", tolerances: ["cluster_centers": (1e-14, ""), "inertia": (1e-14, "")]).isEmpty)
    }

    /// A seeded request gives the same bytes every run; its response, as a model, predicts
    /// each training row's own label.
    @Test(arguments: ["kmeans", "mini_batch_kmeans"])
    func aSeededFitIsReproducibleAndItsResponseIsAModel(_ task: String) throws {
        let request = Self.body(#""n_clusters":3,"random_state":7"#, task: task)
        func strip(_ s: String) -> String { s.replacingOccurrences(of: #""elapsed_ms":[0-9.e+-]+"#, with: "", options: .regularExpression) }
        let a = SciLearnService().run(body: Array(request.utf8)).json
        let b = SciLearnService().run(body: Array(request.utf8)).json
        #expect(strip(a) == strip(b))
        let fit = try JSONSerialization.jsonObject(with: Data(a.utf8)) as! [String: Any]
        let labels = (fit["result"] as! [String: Any])["labels"] as! [Int]
        #expect(Set(labels).count == 3)
        let predict: [String: Any] = ["task": "predict", "params": ["model": fit],
                                      "data": ["X": try JSONSerialization.jsonObject(with: Data(Self.x.utf8))]]
        let (code, message, object) = try Self.run(String(decoding: try JSONSerialization.data(withJSONObject: predict), as: UTF8.self))
        #expect(code == nil, "\(message)")
        #expect((object["result"] as! [String: Any])["predictions"] as? [Int] == labels)
    }
}
