import Foundation
import SciLearnTestSupport
import Testing
@testable import SciLearn
@testable import SciLearnService

/// The hypothesis-test tasks' edges through the service: every bad input of the issue gets the
/// contract's error naming its field; constant samples give nulls with warnings naming them (where
/// scipy gives nan); the one-pass summaries are bit-for-bit the same on one thread and two, and
/// keep the variance of a sample at offset 10⁹.
@Suite(.ownThread(.computing)) struct HypothesisTaskTests {
    struct Bad: Sendable, CustomStringConvertible {
        let task: String
        let params: String
        let data: String
        let code: String
        let mentions: [String]
        var description: String { "\(task) \(code): \(params) \(data.prefix(40))" }
    }

    static func body(_ task: String, _ params: String, _ data: String) -> String {
        #"{"id":"t","task":"\#(task)","params":{\#(params)},"data":{\#(data)}}"#
    }

    static let ab = #""a":[1,2,3,4],"b":[2,3,5,7]"#

    static let bad: [Bad] = [
        // A sample of one value where the test needs two.
        Bad(task: "ttest_1samp", params: "", data: #""a":[1]"#, code: "invalid_data", mentions: ["data.a", "1 value", "at least 2"]),
        Bad(task: "ttest_ind", params: #""equal_var":false"#, data: #""a":[1],"b":[1,2,3]"#, code: "invalid_data", mentions: ["data.a", "Welch", "at least 2"]),
        Bad(task: "ttest_ind", params: "", data: #""a":[1],"b":[2]"#, code: "invalid_data", mentions: ["data.b", "at least 3"]),
        Bad(task: "ttest_ind", params: "", data: #""a":[],"b":[2,3]"#, code: "invalid_data", mentions: ["data.a", "0 values"]),
        Bad(task: "ttest_rel", params: "", data: #""a":[1],"b":[2]"#, code: "invalid_data", mentions: ["data.a", "1 pair"]),
        Bad(task: "ttest_rel", params: "", data: #""a":[1,2,3],"b":[2,3]"#, code: "invalid_data", mentions: ["data.b", "same length"]),
        Bad(task: "pearsonr", params: "", data: #""x":[1],"y":[2]"#, code: "invalid_data", mentions: ["data.x", "at least 2"]),
        Bad(task: "pearsonr", params: "", data: #""x":[1,2,3],"y":[2,3]"#, code: "invalid_data", mentions: ["data.y", "paired"]),
        // alternative, with the value probably meant; confidence_level outside (0, 1).
        Bad(task: "ttest_ind", params: #""alternative":"two_sided""#, data: ab, code: "invalid_params", mentions: ["params.alternative", "\"two-sided\""]),
        Bad(task: "fisher_exact", params: #""alternative":"larger""#, data: #""table":[[1,2],[3,4]]"#, code: "invalid_params", mentions: ["params.alternative", "\"greater\""]),
        Bad(task: "ttest_1samp", params: #""confidence_level":1"#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.confidence_level", "(0, 1)"]),
        Bad(task: "ttest_ind", params: #""confidence_level":0"#, data: ab, code: "invalid_params", mentions: ["params.confidence_level", "(0, 1)"]),
        Bad(task: "pearsonr", params: #""confidence_level":95"#, data: #""x":[1,2,3],"y":[3,1,2]"#, code: "invalid_params", mentions: ["params.confidence_level"]),
        Bad(task: "ttest_rel", params: #""confidence_level":"0.95""#, data: ab, code: "invalid_params", mentions: ["params.confidence_level", "number"]),
        Bad(task: "ttest_1samp", params: #""popmean":null"#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.popmean"]),
        Bad(task: "ttest_ind", params: #""equal_var":"false""#, data: ab, code: "invalid_params", mentions: ["params.equal_var", "boolean"]),
        // Counts: negative or fractional; a zero row or column; a table that is not 2 × 2.
        Bad(task: "chi2_contingency", params: "", data: #""observed":[[1,-2],[3,4]]"#, code: "invalid_data", mentions: ["data.observed[0][1]", "non-negative"]),
        Bad(task: "chi2_contingency", params: "", data: #""observed":[[1,2.5],[3,4]]"#, code: "invalid_data", mentions: ["data.observed[0][1]", "whole number"]),
        Bad(task: "chi2_contingency", params: "", data: #""observed":[[1,2],[0,0],[3,4]]"#, code: "invalid_data", mentions: ["data.observed[1]", "sums to 0"]),
        Bad(task: "chi2_contingency", params: "", data: #""observed":[[1,0,2],[3,0,4]]"#, code: "invalid_data", mentions: ["data.observed", "column 1", "sums to 0"]),
        Bad(task: "chi2_contingency", params: #""correction":1"#, data: #""observed":[[1,2],[3,4]]"#, code: "invalid_params", mentions: ["params.correction", "boolean"]),
        Bad(task: "fisher_exact", params: "", data: #""table":[[1,2,3],[3,4,5]]"#, code: "invalid_data", mentions: ["data.table", "2 × 2", "2 × 3"]),
        Bad(task: "fisher_exact", params: "", data: #""table":[[1,2],[3,4],[5,6]]"#, code: "invalid_data", mentions: ["data.table", "2 × 2"]),
        Bad(task: "fisher_exact", params: "", data: #""table":[[1,-1],[3,4]]"#, code: "invalid_data", mentions: ["data.table[0][1]", "non-negative"]),
        Bad(task: "fisher_exact", params: "", data: #""table":[[1,2],[3.5,4]]"#, code: "invalid_data", mentions: ["data.table[1][0]", "whole number"]),
        Bad(task: "fisher_exact", params: "", data: #""table":[[1,2],[3]]"#, code: "invalid_data", mentions: ["data.table[1]"]),
        Bad(task: "chisquare", params: "", data: #""f_obs":[1,-2,3]"#, code: "invalid_data", mentions: ["data.f_obs[1]", "non-negative"]),
        Bad(task: "chisquare", params: "", data: #""f_obs":[5]"#, code: "invalid_data", mentions: ["data.f_obs", "at least 2"]),
        Bad(task: "chisquare", params: "", data: #""f_obs":[1,2,3],"f_exp":[2,2,3]"#, code: "invalid_data", mentions: ["data.f_exp", "sums to 7", "6"]),
        Bad(task: "chisquare", params: "", data: #""f_obs":[1,2,3],"f_exp":[3,3]"#, code: "invalid_data", mentions: ["data.f_exp", "2 frequencies", "3"]),
        Bad(task: "chisquare", params: "", data: #""f_obs":[1,2,3],"f_exp":[6,0,0]"#, code: "invalid_data", mentions: ["data.f_exp[1]", "positive"]),
        Bad(task: "chisquare", params: #""ddof":2"#, data: #""f_obs":[1,2,3]"#, code: "invalid_params", mentions: ["params.ddof", "at most 1"]),
        Bad(task: "chisquare", params: #""ddof":-1"#, data: #""f_obs":[1,2,3]"#, code: "invalid_params", mentions: ["params.ddof", ">= 0"]),
        // Proportions: count above nobs, and the one-sample test without its value.
        Bad(task: "proportions_ztest", params: "", data: #""count":[12,5],"nobs":[10,20]"#, code: "invalid_data", mentions: ["data.count[0]", "above its nobs 10"]),
        Bad(task: "proportions_ztest", params: "", data: #""count":[-1,5],"nobs":[10,20]"#, code: "invalid_data", mentions: ["data.count[0]", "non-negative"]),
        Bad(task: "proportions_ztest", params: "", data: #""count":[1,2,3],"nobs":[10,20,30]"#, code: "invalid_data", mentions: ["data.count", "1 (one sample) or 2"]),
        Bad(task: "proportions_ztest", params: "", data: #""count":[1,2],"nobs":[10,20,30]"#, code: "invalid_data", mentions: ["data.nobs", "3 values"]),
        Bad(task: "proportions_ztest", params: "", data: #""count":[1,2],"nobs":[0,20]"#, code: "invalid_data", mentions: ["data.nobs[0]", "positive"]),
        Bad(task: "proportions_ztest", params: "", data: #""count":[4],"nobs":[10]"#, code: "invalid_params", mentions: ["params.value", "required for a one-sample test"]),
        Bad(task: "proportions_ztest", params: #""prop_var":true"#, data: #""count":[4,5],"nobs":[10,10]"#, code: "invalid_params", mentions: ["params.prop_var", "false or a number"]),
        Bad(task: "proportions_ztest", params: #""prop_var":1.5"#, data: #""count":[4,5],"nobs":[10,10]"#, code: "invalid_params", mentions: ["params.prop_var", "(0, 1)"]),
        Bad(task: "proportions_ztest", params: #""value":"0.5""#, data: #""count":[4],"nobs":[10]"#, code: "invalid_params", mentions: ["params.value", "number or null"]),
        // multipletests.
        Bad(task: "multipletests", params: "", data: #""pvals":[0.01,1.5]"#, code: "invalid_data", mentions: ["data.pvals[1]", "[0, 1]"]),
        Bad(task: "multipletests", params: "", data: #""pvals":[-0.01,0.5]"#, code: "invalid_data", mentions: ["data.pvals[0]", "[0, 1]"]),
        Bad(task: "multipletests", params: "", data: #""pvals":[]"#, code: "invalid_data", mentions: ["data.pvals", "empty"]),
        Bad(task: "multipletests", params: #""method":"fdr_tsbh""#, data: #""pvals":[0.5]"#, code: "invalid_params", mentions: ["params.method", "\"holm\"", "\"fdr_bh\""]),
        Bad(task: "multipletests", params: #""method":"fdr-bh""#, data: #""pvals":[0.5]"#, code: "invalid_params", mentions: ["params.method", "\"fdr_bh\""]),
        Bad(task: "multipletests", params: #""alpha":1"#, data: #""pvals":[0.5]"#, code: "invalid_params", mentions: ["params.alpha", "(0, 1)"]),
        // sample_size_proportions: p1 == p2 has no finite answer.
        Bad(task: "sample_size_proportions", params: #""p1":0.1,"p2":0.1"#, data: "", code: "invalid_params", mentions: ["params.p2", "equals p1"]),
        Bad(task: "sample_size_proportions", params: #""p1":0.1"#, data: "", code: "invalid_params", mentions: ["params.p2", "required"]),
        Bad(task: "sample_size_proportions", params: #""p1":0,"p2":0.1"#, data: "", code: "invalid_params", mentions: ["params.p1", "(0, 1)"]),
        Bad(task: "sample_size_proportions", params: #""p1":0.1,"p2":1"#, data: "", code: "invalid_params", mentions: ["params.p2", "(0, 1)"]),
        Bad(task: "sample_size_proportions", params: #""p1":0.1,"p2":0.2,"power":0.01"#, data: "", code: "invalid_params", mentions: ["params.power", "exceed alpha"]),
        Bad(task: "sample_size_proportions", params: #""p1":0.1,"p2":0.2,"alternative":"greater""#, data: "", code: "invalid_params", mentions: ["params.alternative", "p1 > p2"]),
        Bad(task: "sample_size_proportions", params: #""p1":0.3,"p2":0.2,"alternative":"less""#, data: "", code: "invalid_params", mentions: ["params.alternative", "p1 < p2"]),
        Bad(task: "sample_size_proportions", params: #""p1":0.1,"p2":0.2,"ratio":0"#, data: "", code: "invalid_params", mentions: ["params.ratio", "> 0"]),
        // Groups: fewer than two, empty, not arrays; one value per group.
        Bad(task: "f_oneway", params: "", data: #""groups":[[1,2,3]]"#, code: "invalid_data", mentions: ["data.groups", "1 group", "at least 2"]),
        Bad(task: "f_oneway", params: "", data: #""groups":[[1,2,3],[]]"#, code: "invalid_data", mentions: ["data.groups[1]", "empty"]),
        Bad(task: "f_oneway", params: "", data: #""groups":[[1,2,3],4]"#, code: "invalid_data", mentions: ["data.groups[1]", "array of numbers"]),
        Bad(task: "f_oneway", params: "", data: #""groups":[[1,2],[3,[4]]]"#, code: "invalid_data", mentions: ["data.groups[1][1]"]),
        Bad(task: "f_oneway", params: "", data: #""groups":[[1],[2]]"#, code: "invalid_data", mentions: ["data.groups", "one value per group"]),
        // A null inside a sample; a string; a boolean.
        Bad(task: "ttest_ind", params: "", data: #""a":[1,2,null],"b":[1,2,3]"#, code: "invalid_data", mentions: ["data.a[2]", "missing values"]),
        Bad(task: "ttest_1samp", params: "", data: #""a":[1,"2",3]"#, code: "invalid_data", mentions: ["data.a[1]"]),
        Bad(task: "pearsonr", params: "", data: #""x":[1,2,3],"y":[1,true,3]"#, code: "invalid_data", mentions: ["data.y[1]", "boolean"]),
        Bad(task: "f_oneway", params: "", data: #""groups":[[1,2],[3,null]]"#, code: "invalid_data", mentions: ["data.groups[1][1]", "missing values"]),
        Bad(task: "describe", params: "", data: #""a":[1,null]"#, code: "invalid_data", mentions: ["data.a[1]", "missing values"]),
        Bad(task: "describe", params: "", data: "", code: "invalid_data", mentions: ["data.X", "or a"]),
        Bad(task: "describe", params: "", data: #""a":[1,2],"X":[[1],[2]]"#, code: "invalid_data", mentions: ["data.a", "one of them"]),
        Bad(task: "describe", params: #""ddof":-1"#, data: #""a":[1,2]"#, code: "invalid_params", mentions: ["params.ddof", ">= 0"]),
        // Values whose sums leave the double range.
        Bad(task: "ttest_1samp", params: "", data: #""a":[1e308,-1e308,1e308]"#, code: "invalid_data", mentions: ["data.a", "range of a double"]),
        Bad(task: "ttest_ind", params: #""permutations":100"#, data: ab, code: "invalid_params", mentions: ["params.permutations"]),
        // Rank tests.
        Bad(task: "mannwhitneyu", params: #""method":"permutation""#, data: ab, code: "invalid_params", mentions: ["params.method", "\"exact\"", "\"asymptotic\""]),
        Bad(task: "mannwhitneyu", params: #""method":"asymp""#, data: ab, code: "invalid_params", mentions: ["params.method", "\"asymptotic\""]),
        Bad(task: "mannwhitneyu", params: "", data: #""a":[],"b":[1,2]"#, code: "invalid_data", mentions: ["data.a", "empty"]),
        Bad(task: "mannwhitneyu", params: #""use_continuity":"yes""#, data: ab, code: "invalid_params", mentions: ["params.use_continuity", "boolean"]),
        Bad(task: "kruskal", params: "", data: #""groups":[[1,2,3],[4]]"#, code: "invalid_data", mentions: ["data.groups[1]", "1 value", "at least 2"]),
        Bad(task: "kruskal", params: "", data: #""groups":[[1,2,3]]"#, code: "invalid_data", mentions: ["data.groups", "at least 2"]),
        Bad(task: "kruskal", params: "", data: #""groups":[[1,2,3],[4,null]]"#, code: "invalid_data", mentions: ["data.groups[1][1]", "missing values"]),
        Bad(task: "spearmanr", params: "", data: #""x":[1,2],"y":[2,1]"#, code: "invalid_data", mentions: ["data.x", "at least 3"]),
        Bad(task: "spearmanr", params: "", data: #""x":[1,2,3],"y":[2,1]"#, code: "invalid_data", mentions: ["data.y", "paired"]),
        Bad(task: "normaltest", params: "", data: #""a":[1,2,3,4,5,6,7]"#, code: "invalid_data", mentions: ["data.a", "7 values", "at least 8"]),
        Bad(task: "wilcoxon", params: #""zero_method":"zero""#, data: ab, code: "invalid_params", mentions: ["params.zero_method", "\"wilcox\"", "\"pratt\"", "\"zsplit\""]),
        Bad(task: "wilcoxon", params: #""method":"permutation""#, data: ab, code: "invalid_params", mentions: ["params.method", "\"exact\""]),
        Bad(task: "wilcoxon", params: "", data: #""a":[1,2,3],"b":[1,2]"#, code: "invalid_data", mentions: ["data.b", "same length"]),
        Bad(task: "wilcoxon", params: "", data: #""a":[]"#, code: "invalid_data", mentions: ["data.a", "empty"]),
        Bad(task: "wilcoxon", params: #""correction":0"#, data: ab, code: "invalid_params", mentions: ["params.correction", "boolean"]),
        Bad(task: "kendalltau", params: "", data: #""x":[1],"y":[2]"#, code: "invalid_data", mentions: ["data.x", "at least 2"]),
        Bad(task: "kendalltau", params: "", data: #""x":[1,2,3],"y":[2,1]"#, code: "invalid_data", mentions: ["data.y", "paired"]),
        Bad(task: "kendalltau", params: #""method":"exact""#, data: #""x":[1,2,3],"y":[2,1,3]"#, code: "invalid_params", mentions: ["params.method"]),
        Bad(task: "ks_2samp", params: #""method":"asymptotic""#, data: ab, code: "invalid_params", mentions: ["params.method", "\"exact\"", "\"asymp\""]),
        Bad(task: "ks_2samp", params: #""alternative":"two_sided""#, data: ab, code: "invalid_params", mentions: ["params.alternative", "\"two-sided\""]),
        Bad(task: "ks_2samp", params: "", data: #""a":[1,2],"b":[]"#, code: "invalid_data", mentions: ["data.b", "empty"]),
        Bad(task: "ks_2samp", params: "", data: #""a":[1,null],"b":[1,2]"#, code: "invalid_data", mentions: ["data.a[1]"]),
        Bad(task: "kstest", params: #""args":[0,1,2]"#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.args", "[loc, scale]", "3 numbers"]),
        Bad(task: "kstest", params: #""args":[0.5]"#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.args", "[loc, scale]", "1 number"]),
        Bad(task: "kstest", params: #""args":[0,0]"#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.args[1]", "scale", "> 0"]),
        Bad(task: "kstest", params: #""args":[0,-2]"#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.args[1]", "> 0"]),
        Bad(task: "kstest", params: #""args":[]"#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.args"]),
        Bad(task: "kstest", params: #""args":[0,"1"]"#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.args[1]"]),
        Bad(task: "kstest", params: #""cdf":"expon""#, data: #""a":[1,2,3]"#, code: "invalid_params", mentions: ["params.cdf", "\"norm\""]),
        Bad(task: "kstest", params: "", data: #""a":[]"#, code: "invalid_data", mentions: ["data.a", "empty"]),
    ]

    @Test("bad input gets the contract's error naming the field", arguments: bad)
    func badInput(_ b: Bad) throws {
        let (code, message, _) = try ServiceRun.outcome(Self.body(b.task, b.params, b.data))
        #expect(code == b.code, "\(b): \(message)")
        for m in b.mentions { #expect(message.contains(m), "\(b): \(message) does not mention \(m)") }
    }

    static func result(_ task: String, _ params: String, _ data: String) throws -> (result: [String: Any], warnings: [String]) {
        let (code, message, object) = try ServiceRun.outcome(body(task, params, data))
        #expect(code == nil, "\(task): \(message)")
        return (object["result"] as? [String: Any] ?? [:], object["warnings"] as? [String] ?? [])
    }

    @Test("constant samples give nulls with warnings, and scipy's p values where they are defined")
    func constantSamples() throws {
        var (r, w) = try Self.result("ttest_1samp", #""popmean":2"#, #""a":[2,2,2]"#)
        #expect(r["statistic"] is NSNull && r["p_value"] is NSNull)
        #expect(w.contains { $0.contains("statistic, p_value: undefined (null)") && $0.contains("constant") }, "\(w)")
        (r, w) = try Self.result("ttest_1samp", #""popmean":1"#, #""a":[2,2,2]"#)
        #expect(r["statistic"] is NSNull && (r["p_value"] as? Double) == 0, "scipy: t = inf, p = 0: \(r)")
        #expect(w.contains { $0.hasPrefix("statistic: infinite, reported null") }, "\(w)")
        (r, w) = try Self.result("ttest_ind", #""equal_var":false"#, #""a":[1,1,1],"b":[1,1]"#)
        #expect(r["statistic"] is NSNull && r["p_value"] is NSNull && (r["df"] as? Double) == 1)
        (r, w) = try Self.result("pearsonr", "", #""x":[1,2,3],"y":[5,5,5]"#)
        #expect(r["statistic"] is NSNull && r["p_value"] is NSNull && (r["confidence_interval"] as? [Any])?.allSatisfy { $0 is NSNull } == true)
        #expect(w.contains { $0.contains("y is constant") }, "\(w)")
        (r, w) = try Self.result("f_oneway", "", #""groups":[[1,1],[2,2,2]]"#)
        #expect(r["statistic"] is NSNull && (r["p_value"] as? Double) == 0)
        (r, w) = try Self.result("f_oneway", "", #""groups":[[3,3],[3,3,3]]"#)
        #expect(r["statistic"] is NSNull && r["p_value"] is NSNull)
        (r, w) = try Self.result("describe", "", #""X":[[1,5],[2,5],[4,5]]"#)
        #expect((r["skewness"] as? [Any])?.last is NSNull && (r["variance"] as? [Double])?.last == 0)
        #expect(w.contains { $0.contains("skewness, kurtosis: undefined (null)") && $0.contains("column 1 is constant") }, "\(w)")
        (r, w) = try Self.result("fisher_exact", "", #""table":[[0,0],[3,4]]"#)
        #expect(r["statistic"] is NSNull && (r["p_value"] as? Double) == 1)
        (r, w) = try Self.result("fisher_exact", "", #""table":[[3,0],[3,4]]"#)
        #expect(r["statistic"] is NSNull && w.contains { $0.hasPrefix("statistic: infinite") }, "\(w)")
        (r, w) = try Self.result("proportions_ztest", #""value":0"#, #""count":[0],"nobs":[10]"#)
        #expect(r["statistic"] is NSNull && r["p_value"] is NSNull)
        (r, w) = try Self.result("mannwhitneyu", #""use_continuity":false"#, #""a":[5,5,5,5,5,5,5,5,5],"b":[5,5,5,5,5,5,5,5,5]"#)
        #expect((r["statistic"] as? Double) == 40.5 && r["p_value"] is NSNull && w.contains { $0.hasPrefix("p_value: undefined (null)") }, "\(r) \(w)")
        (r, w) = try Self.result("wilcoxon", #""method":"asymptotic""#, #""a":[0,0,0,0,0]"#)
        #expect(r["p_value"] is NSNull && w.contains { $0.contains("no non-zero difference") }, "\(r) \(w)")
        (r, w) = try Self.result("kendalltau", "", #""x":[1,2,3],"y":[7,7,7]"#)
        #expect(r["statistic"] is NSNull && w.contains { $0.contains("y is constant") }, "\(w)")
        (r, w) = try Self.result("kruskal", "", #""groups":[[2,2],[2,2,2]]"#)
        #expect(r["statistic"] is NSNull && r["p_value"] is NSNull && w.contains { $0.contains("every value in every group is the same") }, "\(w)")
        (r, w) = try Self.result("spearmanr", "", #""x":[1,2,3],"y":[4,4,4]"#)
        #expect(r["statistic"] is NSNull && w.contains { $0.contains("y is constant") }, "\(w)")
        (r, w) = try Self.result("normaltest", "", #""a":[3,3,3,3,3,3,3,3]"#)
        #expect(r["statistic"] is NSNull && w.contains { $0.contains("constant") }, "\(w)")
        (r, w) = try Self.result("ttest_1samp", #""alternative":"less""#, #""a":[1,2,4]"#)
        #expect((r["confidence_interval"] as? [Any])?.first is NSNull && w.contains { $0.contains("confidence_interval: the lower end is unbounded") }, "\(w)")
    }

    @Test("one-pass summaries: the same bits on one thread and two; the variance kept at offset 1e9")
    func summaries() throws {
        let n = 3_000_000
        let x = (0..<n).map { Double(($0 * 7919) % 10007) * 0.001 + 1e9 }
        let y = (0..<n).map { Double(($0 * 104729) % 10009) * 0.001 - 3 }
        let one = try Parallelism.withThreadLimit(1) { () throws(SciLearnError) in (try Moments.of(x), try CoMoments.of(x, y)) }
        let two = try Parallelism.withThreadLimit(2) { () throws(SciLearnError) in (try Moments.of(x), try CoMoments.of(x, y)) }
        #expect(one.0 == two.0 && one.1 == two.1)
        // Many samples in one loop give each the bits it gets alone.
        let groups = [Array(x[0..<700_000]), Array(y[0..<5]), Array(x[5..<1_300_000])]
        let many = try Parallelism.withThreadLimit(2) { () throws(SciLearnError) in try Moments.of(samples: groups) }
        #expect(many == (try groups.map { try Moments.of($0) }))
        // The exact variance of the 10007 residues times 0.001², whatever the offset.
        let z = (0..<n).map { Double(($0 * 7919) % 10007) * 0.001 }
        let m0 = try Moments.of(z), m1 = one.0
        #expect(abs(m1.variance() - m0.variance()) <= 1e-9 * m0.variance(), "\(m1.variance()) vs \(m0.variance())")
        #expect(abs(one.1.sxx - m0.m2) <= 1e-9 * m0.m2)
    }
}

/// The radix sort behind the rank tests orders exactly as `sorted()`, negative zeros, infinities
/// and subnormals included.
@Test func radixSortOrdersAsTheComparisonSort() {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    var v: [Double] = (0..<50_000).map { _ in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(Int64(bitPattern: state) % 2001) / 7 - 140
    }
    v += [0.0, -0.0, .infinity, -.infinity, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, 1e308, -1e308, -0.0]
    let r = RadixSort.sorted(v), s = v.sorted()
    #expect(r.count == s.count && zip(r, s).allSatisfy { $0 == $1 })
    #expect(RadixSort.sorted([3, 1, 2]) == [1, 2, 3])
}

/// The review's edges (2026-12-02): each once crashed, hung, lost every digit or answered
/// `internal`.
@Test(.ownThread(.computing)) func reviewedEdges() throws {
    func run(_ body: String) throws -> (code: String?, result: [String: Any], warnings: [String]) {
        let (code, _, object) = try ServiceRun.outcome(body)
        return (code, object["result"] as? [String: Any] ?? [:], object["warnings"] as? [String] ?? [])
    }
    // Welch's df with variances near 1e-162: their squares underflowed, df = ∞, a precondition.
    var r = try run(#"{"task":"ttest_ind","params":{"equal_var":false},"data":{"a":[0,2e-81],"b":[1e-81,3e-81]}}"#)
    #expect(r.code == nil && abs((r.result["df"] as? Double ?? 0) - 2) < 1e-12, "\(r)")
    // df is scale-free: data near 1e100 (squares of variances 1e400) give the df of the data at 1.
    r = try run(#"{"task":"ttest_ind","params":{"equal_var":false},"data":{"a":[1e100,3e100,2e100],"b":[5e100,9e100]}}"#)
    let unit = try run(#"{"task":"ttest_ind","params":{"equal_var":false},"data":{"a":[1,3,2],"b":[5,9]}}"#)
    let df = r.result["df"] as? Double ?? 0, df1 = unit.result["df"] as? Double ?? 1
    #expect(abs(df - df1) < 1e-14 * df1, "\(df) vs \(df1)")
    // A table summing past 2⁵³ once looped forever (x + 1 == x there).
    r = try run(#"{"task":"fisher_exact","data":{"table":[[9007199254740992,9007199254740992],[9007199254740992,9007199254740992]]}}"#)
    #expect(r.code == "invalid_data")
    // Exact Mann-Whitney beyond 2⁶² arrangements (the fixtures hold 100 × 100 and 300 × 300 to
    // scipy): the two tails of the exact distribution sum to one.
    let dist = MannWhitneyDistribution(m: 150, n: 150)
    for k in [0.0, 4000, 9000, 11_000] {
        #expect(abs(dist.cdf(k) + dist.cdf(22_500 - k - 1) - 1) < 1e-13, "\(k)")
    }
    // A two-sided interval at the largest level below 1: its upper end was null without a warning.
    r = try run(#"{"task":"ttest_1samp","params":{"confidence_level":0.9999999999999999},"data":{"a":[1,2,4]}}"#)
    #expect(r.code == nil && ((r.result["confidence_interval"] as? [Any])?.allSatisfy { $0 is Double } == true), "\(r)")
    // Kurtosis of values near 1e80 overflowed m₄; scipy's is that of the data scaled down.
    r = try run(#"{"task":"describe","data":{"a":[1e80,-1e80,3e79,-2e79,5e79]}}"#)
    let small = try run(#"{"task":"describe","data":{"a":[1,-1,0.3,-0.2,0.5]}}"#)
    #expect(r.code == nil, "\(r)")
    for key in ["skewness", "kurtosis"] {
        let g = (r.result[key] as? [Double])?.first ?? .nan, w = (small.result[key] as? [Double])?.first ?? 0
        #expect(abs(g - w) <= 1e-13 * abs(w), "\(key): \(g) vs \(w)")
    }
    // Values near 1e200: the variance is beyond a double, null with the seam's warning.
    r = try run(#"{"task":"describe","data":{"a":[1e200,-1e200,3e199]}}"#)
    #expect(r.code == nil && (r.result["variance"] as? [Any])?.first is NSNull && r.warnings.contains { $0.contains("variance: beyond the range") }, "\(r)")
    // Groups whose spread underflows: F = ∞ as scipy, null with p 0.
    r = try run(#"{"task":"f_oneway","data":{"groups":[[1,1],[1e-170,2e-170]]}}"#)
    #expect(r.code == nil && r.result["statistic"] is NSNull && (r.result["p_value"] as? Double) == 0, "\(r)")
    // Subnormal data and a popmean beyond the scaled range.
    r = try run(#"{"task":"ttest_1samp","data":{"a":[0,1e-320,3e-320]}}"#)
    #expect(r.code == nil, "\(r)")
    r = try run(#"{"task":"ttest_1samp","params":{"popmean":1e10},"data":{"a":[1e-300,2e-300]}}"#)
    #expect(r.code == nil && (r.result["p_value"] as? Double) == 0, "\(r)")
    // ks_2samp with two empty samples: the cost estimate formed 0/0 and trapped on Int(nan).
    r = try run(#"{"task":"ks_2samp","data":{"a":[],"b":[]}}"#)
    #expect(r.code == "invalid_data", "\(r)")
    // An explicit exact method that scipy gives up (lcm ≥ 2³¹; a one-sided count beyond a
    // double) was charged the lattice's m·n work and refused as too_large; it is answered
    // asymptotically with scipy's warning.
    let a = (0..<100_000).map { "\(Double($0) * 0.5)" }.joined(separator: ","), b = (0..<99_999).map { "\(Double($0) * 0.5 + 0.25)" }.joined(separator: ",")
    r = try run(#"{"task":"ks_2samp","params":{"method":"exact"},"data":{"a":["# + a + #"],"b":["# + b + #"]}}"#)
    #expect(r.code == nil && r.warnings.contains { $0.hasPrefix("method:") && $0.contains("asymp") }, "\(r.code ?? "") \(r.warnings)")
    let c = (0..<50_000).map { "\(Double($0))" }.joined(separator: ","), d = (0..<49_000).map { "\(Double($0) + 0.5)" }.joined(separator: ",")
    r = try run(#"{"task":"ks_2samp","params":{"method":"exact","alternative":"less"},"data":{"a":["# + c + #"],"b":["# + d + #"]}}"#)
    #expect(r.code == nil && r.warnings.contains { $0.hasPrefix("method:") && $0.contains("asymp") }, "\(r.code ?? "") \(r.warnings)")
}
