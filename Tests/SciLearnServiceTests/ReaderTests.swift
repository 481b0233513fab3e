import SciLearn
import Testing
import SciLearnTestSupport
@testable import SciLearnService

/// The typed readers every shape of the contract's params and data takes, each with its error
/// sentence (the field by its wire path, what must hold, what was received).
@Suite(.ownThread(.computing)) struct ReaderTests {
    enum Solver: String, CaseIterable, Sendable { case auto, svd, cholesky }
    enum Weight: String, CaseIterable, Sendable { case balanced }
    enum Init: String, CaseIterable, Sendable { case kMeansPlusPlus = "k-means++", random }

    static let nClusters = Param.integer("n_clusters", default: 8, rule: .count("n_clusters", atLeast: 1), doc: "clusters")
    static let randomState = Param.optionalInteger("random_state", doc: "seed")
    static let solver = Param.choice("solver", default: Solver.auto, doc: "solver")
    static let classWeight: Param<Weight?> = .optionalChoice("class_weight", doc: "weights")
    static let nComponents = Param.componentCount("n_components", doc: "components")
    static let alphas = Param.numbers("alphas", default: [0.1, 1, 10], doc: "alphas")
    static let initial: Param<ChoiceOrMatrix<Init>> = .choiceOrMatrix("init", default: .kMeansPlusPlus, doc: "centres")
    static let nInit: Param<ChoiceOrInteger<Weight>> = .choiceOrInteger("n_init", default: .balanced, doc: "runs")

    static func params(_ json: String) throws(ServiceError) -> Params {
        guard let value = JSONValue.parse(Array(json.utf8)) else { throw ServiceError(.invalidJSON, json) }
        return try Params(value, allowed: ["n_clusters", "random_state", "solver", "class_weight", "n_components", "alphas", "init", "n_init"], limits: ServiceLimits(maxCells: 6))
    }

    static func failure<T>(_ body: () throws(ServiceError) -> T) -> ServiceError? {
        do { _ = try body(); return nil } catch { return error }
    }

    @Test func integers() throws {
        #expect(try Self.nClusters.read(Self.params("{}")) == 8)
        #expect(try Self.nClusters.read(Self.params(#"{"n_clusters":3}"#)) == 3)
        #expect(try Self.nClusters.read(Self.params(#"{"n_clusters":3.0}"#)) == 3)
        let e = Self.failure { () throws(ServiceError) in try Self.nClusters.read(Self.params(#"{"n_clusters":2.5}"#)) }
        #expect(e?.code == .invalidParams && e?.message == "params.n_clusters: must be an integer; got 2.5")
        let s = Self.failure { () throws(ServiceError) in try Self.nClusters.read(Self.params(#"{"n_clusters":"3"}"#)) }
        #expect(s?.message == #"params.n_clusters: must be an integer; got the string "3""#)
        #expect(Self.failure { () throws(ServiceError) in try Self.nClusters.read(Self.params(#"{"n_clusters":1e300}"#)) } != nil)
        #expect(try Self.randomState.read(Self.params(#"{"random_state":null}"#)) == nil)
        #expect(try Self.randomState.read(Self.params(#"{"random_state":42}"#)) == 42)
        #expect(try Self.randomState.read(Self.params("{}")) == nil)
    }

    @Test func choices() throws {
        #expect(try Self.solver.read(Self.params(#"{"solver":"svd"}"#)) == .svd)
        let e = Self.failure { () throws(ServiceError) in try Self.solver.read(Self.params(#"{"solver":"cholesy"}"#)) }
        #expect(e?.message == #"params.solver: must be one of "auto", "svd", "cholesky"; got "cholesy"; did you mean 'cholesky'?"#)
        #expect(try Self.classWeight.read(Self.params("{}")) == nil)
        #expect(try Self.classWeight.read(Self.params(#"{"class_weight":"balanced"}"#)) == .balanced)
        #expect(Self.failure { () throws(ServiceError) in try Self.classWeight.read(Self.params(#"{"class_weight":1}"#)) }?.message.contains("params.class_weight") == true)
        #expect(Self.solver.info.type == #""auto" | "svd" | "cholesky""#)
    }

    @Test func componentCounts() throws {
        #expect(try Self.nComponents.read(Self.params("{}")) == .all)
        #expect(try Self.nComponents.read(Self.params(#"{"n_components":3}"#)) == .count(3))
        #expect(try Self.nComponents.read(Self.params(#"{"n_components":0.95}"#)) == .fraction(0.95))
        for bad in ["0", "1.5", "-1", "\"all\""] {
            let e = Self.failure { () throws(ServiceError) in try Self.nComponents.read(Self.params(#"{"n_components":\#(bad)}"#)) }
            #expect(e?.message.hasPrefix("params.n_components: must be an integer >= 1, a fraction in the open interval (0, 1), or null") == true, "\(bad)")
        }
    }

    @Test func arraysAndMatrices() throws {
        #expect(try Self.alphas.read(Self.params("{}")) == [0.1, 1, 10])
        #expect(try Self.alphas.read(Self.params(#"{"alphas":[0.5,2]}"#)) == [0.5, 2])
        #expect(Self.failure { () throws(ServiceError) in try Self.alphas.read(Self.params(#"{"alphas":[0.5,null]}"#)) }?.message.hasPrefix("params.alphas[1]: must be a number") == true)
        #expect(Self.failure { () throws(ServiceError) in try Self.alphas.read(Self.params(#"{"alphas":[]}"#)) }?.message.contains("non-empty") == true)
        guard case .matrix(let m) = try Self.initial.read(Self.params(#"{"init":[[1,2],[3,4],[5,6]]}"#)) else { Issue.record("a matrix"); return }
        #expect(m.rows == 3 && m.columns == 2 && m[2, 1] == 6)
        guard case .choice(.random) = try Self.initial.read(Self.params(#"{"init":"random"}"#)) else { Issue.record("a choice"); return }
        #expect(Self.failure { () throws(ServiceError) in try Self.initial.read(Self.params(#"{"init":[[1,2],[3]]}"#)) }?.message.hasPrefix("params.init[1]: has 1 values") == true)
        guard case .integer(10) = try Self.nInit.read(Self.params(#"{"n_init":10}"#)) else { Issue.record("an integer"); return }
        // A matrix param is held to the request's cell limit (6 here), like data.
        let big = Self.failure { () throws(ServiceError) in try Self.initial.read(Self.params(#"{"init":[[1,2,3],[4,5,6],[7,8,9]]}"#)) }
        #expect(big?.code == .tooLarge && big?.message.hasPrefix("params.init: 3 rows × 3 columns exceeds the limit of 6 values") == true)
    }

    static func data(_ json: String, _ allowed: [String]) throws(ServiceError) -> DataReader {
        guard let (_, packed) = try? JSONParser.parseRequest(Array(#"{"data":\#(json)}"#.utf8), maxDepth: 16) else {
            throw ServiceError(.invalidJSON, json)
        }
        return try DataReader(packed.map { .object($0) }, allowed: allowed, limits: ServiceLimits())
    }

    @Test func labelsSamplesAndCounts() throws {
        #expect(try Self.data(#"{"y":[0,1,1]}"#, ["y"]).labels("y") == .numbers([0, 1, 1]))
        #expect(try Self.data(#"{"y":["a","b","a"]}"#, ["y"]).labels("y") == .strings(["a", "b", "a"]))
        let mixed = Self.failure { () throws(ServiceError) in try Self.data(#"{"y":["a",1]}"#, ["y"]).labels("y") }
        #expect(mixed?.message.hasPrefix("data.y[1]: must be a string like y[0]") == true)
        #expect(try Self.data(#"{"groups":[[1,2],[3,4,5],[6]]}"#, ["groups"]).samples("groups") == [[1, 2], [3, 4, 5], [6]])
        #expect(try Self.data(#"{"groups":[[1,2],[3,4]]}"#, ["groups"]).samples("groups") == [[1, 2], [3, 4]])
        #expect(Self.failure { () throws(ServiceError) in try Self.data(#"{"groups":[[1],[2,"x"]]}"#, ["groups"]).samples("groups") }?.message.hasPrefix("data.groups[1][1]: must be a number") == true)
        let t = try Self.data(#"{"observed":[[10,20],[30,40]]}"#, ["observed"]).counts("observed", integral: true)
        #expect(t.rows == 2 && t[1, 0] == 30)
        #expect(Self.failure { () throws(ServiceError) in try Self.data(#"{"observed":[[1,-2]]}"#, ["observed"]).counts("observed", integral: false) }?.message == "data.observed[0][1]: must be a non-negative count; got -2")
        #expect(Self.failure { () throws(ServiceError) in try Self.data(#"{"observed":[[1,2.5]]}"#, ["observed"]).counts("observed", integral: true) }?.message == "data.observed[0][1]: must be a whole number (a count); got 2.5")
    }

    @Test func tasksWithoutData() throws {
        try DataReader.checkNoData(nil)
        try DataReader.checkNoData(.other(.null))
        try DataReader.checkNoData(.object(RequestData(fields: [])))
        let e = Self.failure { () throws(ServiceError) in try DataReader.checkNoData(.object(RequestData(fields: [("a", .value(.null))]))) }
        #expect(e?.code == .invalidData && e?.message.contains("data.a") == true)
    }

    /// The packed fast path and the value tree accept the same texts and read the same numbers.
    @Test func packedAndTreeReadTheSameNumbers() throws {
        let text = #"{"X":[[1,2.5,-3e-2],[4,5E+3,0.1]],"y":[1,2],"z":[[1,2],[3,"a"]],"w":[]}"#
        let d = try Self.data(text, ["X", "y", "z", "w"])
        guard case .packed(let p)? = d.data["X"], case .packed? = d.data["y"], case .value? = d.data["z"], case .packed? = d.data["w"] else {
            Issue.record("X, y and w packed, z not"); return
        }
        #expect(p.rows == 2 && p.columns == 3)
        let x = try d.matrix("X")
        let tree = try DataReader.matrix(JSONParser.parse(Array(#"[[1,2.5,-3e-2],[4,5E+3,0.1]]"#.utf8), maxDepth: 8), key: "X", code: .invalidData, prefix: "data.", maxCells: 100)
        #expect(x == tree)
        #expect(Self.failure { () throws(ServiceError) in try d.matrix("z") }?.message == #"data.z[1][1]: must be a number; got the string "a""#)
        #expect(Self.failure { () throws(ServiceError) in try d.matrix("w") }?.message == "data.w: must have at least 1 row")
    }
}
