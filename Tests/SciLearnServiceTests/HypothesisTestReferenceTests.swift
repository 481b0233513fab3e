import Foundation
import Testing
import SciLearnTestSupport
@testable import SciLearnService

/// Every hypothesis-test task through the service against scipy.stats / statsmodels
/// (Tests/Fixtures/hypothesis-tests.json and rank-tests.json, written by
/// Tests/Fixtures/hypothesis_tests.py and rank_tests.py): ties,
/// zeros, samples of 2 and 3, one-sided alternatives, tails down to 1e-300 and 10⁶-value samples.
/// Each field is held to its tolerance in ``ReferenceTolerance/hypothesisTests``; a case with a
/// `tolerance` of its own is one where scipy's own error (measured against exact arithmetic) is
/// larger, and is also held to the exact values at the field's tolerance.
@Suite(.ownThread(.computing))
struct HypothesisTestReferenceTests {
    struct Case: @unchecked Sendable, CustomStringConvertible {
        let object: [String: Any]
        var description: String { object["name"] as! String }
    }

    static let cases: [Case] = ["hypothesis-tests.json", "rank-tests.json"].flatMap { file in
        let obj = try! Fixtures.json(file) as! [String: Any]
        return (obj["cases"] as! [[String: Any]]).map(Case.init)
    }

    /// Every task the fixtures cover is declared, so that no case is skipped.
    @Test func everyFixtureTaskIsDeclared() throws {
        for task in Set(Self.cases.map { $0.object["task"] as! String }) {
            #expect(TaskTable.declaration(named: task) != nil, "\(task) has fixtures but is not declared")
        }
        #expect(Self.cases.count > 450)
    }

    /// `((i·mult) mod m)·scale + offset` for i < n, exactly as the generator forms it.
    static func generated(_ spec: [String: Any]) -> [Double] {
        let n = (spec["n"] as! NSNumber).intValue, mult = (spec["mult"] as! NSNumber).intValue, mod = (spec["mod"] as! NSNumber).intValue
        let scale = (spec["scale"] as! NSNumber).doubleValue, offset = (spec["offset"] as! NSNumber).doubleValue
        return (0..<n).map { Double(($0 * mult) % mod) * scale + offset }
    }

    static func json(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ",") + "]" }

    /// The request body: the inline data, with generated samples written as shortest decimals.
    static func body(_ c: [String: Any]) throws -> String {
        var data = String(data: try JSONSerialization.data(withJSONObject: c["data"]!, options: [.sortedKeys]), encoding: .utf8)!
        if let gen = c["generated"] as? [String: Any] {
            var parts: [String] = []
            for (key, spec) in gen.sorted(by: { $0.key < $1.key }) {
                if let list = spec as? [[String: Any]] {
                    parts.append("\"\(key)\":[" + list.map { json(generated($0)) }.joined(separator: ",") + "]")
                } else {
                    parts.append("\"\(key)\":" + json(generated(spec as! [String: Any])))
                }
            }
            data = data == "{}" ? "{" + parts.joined(separator: ",") + "}" : String(data.dropLast()) + "," + parts.joined(separator: ",") + "}"
        }
        let params = String(data: try JSONSerialization.data(withJSONObject: c["params"]!, options: [.sortedKeys]), encoding: .utf8)!
        return "{\"task\":\"\(c["task"]!)\",\"params\":\(params),\"data\":\(data)}"
    }

    /// Worst relative deviation of `got` from `want` (numbers, arrays, nulls, booleans); nil when
    /// their shapes differ.
    static func deviation(_ got: Any, _ want: Any, absolute: Double?) -> Double? {
        switch (got, want) {
        case (is NSNull, is NSNull): return 0
        case (let g as [Any], let w as [Any]):
            guard g.count == w.count else { return nil }
            var worst = 0.0
            for (a, b) in zip(g, w) {
                guard let d = deviation(a, b, absolute: absolute) else { return nil }
                worst = max(worst, d)
            }
            return worst
        case (let g as NSNumber, let w as NSNumber):
            let a = g.doubleValue, b = w.doubleValue
            if a == b { return 0 }
            if let absolute { return abs(a - b) / absolute * 1e-300 }
            return abs(a - b) / abs(b)
        default: return nil
        }
    }

    @Test("matches scipy / statsmodels", arguments: cases)
    func matchesReference(_ c: Case) throws {
        let o = c.object
        let run = try ServiceRun.outcome(try Self.body(o))
        #expect(run.code == nil, "\(c): \(run.message)")
        guard run.code == nil, let result = run.object["result"] as? [String: Any] else { return }
        let task = o["task"] as! String
        let absolute = o["absolute_tolerance"] as? [String: Any]
        for (key, want) in o["expected"] as! [String: Any] where key != "statsmodels" {
            let tolerance = ReferenceTolerance.hypothesisTest(task, key)
            let caseTolerance = (o["tolerance"] as? NSNumber)?.doubleValue ?? 0
            let abs = (absolute?[key] as? NSNumber)?.doubleValue
            guard let got = result[key] else { Issue.record("\(c): result.\(key) missing"); continue }
            if key == "reject" {
                #expect((got as? [Bool]) == (want as? [Bool]) && (want as? [Bool]) != nil, "\(c): reject = \(got), expected \(want)")
                continue
            }
            let d = Self.deviation(got, want, absolute: abs)
            #expect(d != nil, "\(c): result.\(key) = \(got), expected \(want)")
            guard let d else { continue }
            if abs != nil {
                #expect(d * 1e300 <= 1, "\(c): result.\(key) = \(got), expected \(want) within \(abs!) absolute")
            } else {
                #expect(d <= max(tolerance, caseTolerance), "\(c): result.\(key) = \(got), expected \(want): relative \(d) > \(max(tolerance, caseTolerance))")
            }
            if let exact = (o["exact"] as? [String: Any])?[key], abs == nil, let e = Self.deviation(got, exact, absolute: nil) {
                #expect(e <= tolerance, "\(c): result.\(key) = \(got), exactly \(exact): relative \(e) > \(tolerance)")
            }
            if want is NSNull {
                let warnings = run.object["warnings"] as? [String] ?? []
                #expect(warnings.contains { TaskOutput.names($0, key) }, "\(c): null \(key) without a warning naming it")
            }
        }
    }
}
