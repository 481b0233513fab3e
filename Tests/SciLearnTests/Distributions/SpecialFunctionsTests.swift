import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// t, F, χ², the standard normal, the incomplete beta and gamma functions and log-gamma against scipy over grids reaching the extreme tails
/// (Tests/Fixtures/special-functions.json; every scipy value there agrees with 50-digit mpmath).
@Suite(.ownThread(.computing)) struct SpecialFunctionsTests {
    struct Row { let f: String; let args: [Double]; let value: Double }

    static func rows() throws -> [Row] {
        let obj = try Fixtures.json("special-functions.json") as! [String: Any]
        return (obj["cases"] as! [[String: Any]]).map {
            Row(f: $0["f"] as! String, args: ($0["args"] as! [NSNumber]).map(\.doubleValue), value: ($0["value"] as! NSNumber).doubleValue)
        }
    }

    static func evaluate(_ r: Row) -> Double {
        let a = r.args
        switch r.f {
        case "t_sf": return StudentT(df: a[0]).sf(a[1])
        case "t_cdf": return StudentT(df: a[0]).cdf(a[1])
        case "t_ppf": return StudentT(df: a[0]).quantile(a[1])
        case "t_isf": return StudentT(df: a[0]).inverseSF(a[1])
        case "f_sf": return FisherF(dfn: a[0], dfd: a[1]).sf(a[2])
        case "f_cdf": return FisherF(dfn: a[0], dfd: a[1]).cdf(a[2])
        case "f_ppf": return FisherF(dfn: a[0], dfd: a[1]).quantile(a[2])
        case "f_isf": return FisherF(dfn: a[0], dfd: a[1]).inverseSF(a[2])
        case "betainc": return SpecialFunctions.incompleteBeta(a[0], a[1], x: a[2], y: 1 - a[2]).p
        case "betaincc": return SpecialFunctions.incompleteBeta(a[0], a[1], x: a[2], y: 1 - a[2]).q
        case "betaincinv": return SpecialFunctions.inverseIncompleteBeta(a[0], a[1], p: a[2], q: 1 - a[2]).x
        case "gammaln": return SpecialFunctions.logGamma(a[0])
        case "norm_sf": return StandardNormal.sf(a[0])
        case "norm_isf": return StandardNormal.upperQuantile(a[0])
        case "norm_cdf": return StandardNormal.cdf(a[0])
        case "norm_ppf": return StandardNormal.quantile(a[0])
        case "gammainc": return SpecialFunctions.regularizedGamma(a[0], a[1]).p
        case "gammaincc": return SpecialFunctions.regularizedGamma(a[0], a[1]).q
        case "gammaincinv": return SpecialFunctions.inverseRegularizedGamma(a[0], p: a[1], q: 1 - a[1])
        case "gammainccinv": return SpecialFunctions.inverseRegularizedGamma(a[0], p: 1 - a[1], q: a[1])
        case "chi2_sf": return ChiSquared(df: a[0]).sf(a[1])
        case "chi2_cdf": return ChiSquared(df: a[0]).cdf(a[1])
        case "chi2_ppf": return ChiSquared(df: a[0]).quantile(a[1])
        case "chi2_isf": return ChiSquared(df: a[0]).inverseSF(a[1])
        default: fatalError("unknown function \(r.f) in the fixture")
        }
    }

    /// Each function's bound, about ten times its worst relative error over the grid (beside
    /// it, with the point): a loss of digits in one function cannot hide under another's margin.
    static let bounds: [String: (Double, String)] = [
        "betainc": (5e-13, "worst 5.2e-14 at (200, 0.5, 0.3)"),
        "betaincc": (1e-13, "worst 1.2e-14 at (0.5, 5, 0.999999)"),
        "betaincinv": (5e-14, "worst 4.1e-15 at (50, 20, 1e-10)"),
        "f_cdf": (1e-13, "worst 1.1e-14 at (100, 10000, 0.01)"),
        "f_isf": (1e-13, "worst 7.6e-15 at (1000, 100000, 0.05)"),
        "f_ppf": (2e-13, "worst 2.2e-14 at (2, 30, 1e-200)"),
        "f_sf": (2e-13, "worst 1.9e-14 at (100, 10000, 1.5)"),
        "gammaln": (1e-14, "worst 5.7e-16 at 1.5"),
        "norm_isf": (5e-15, "worst 3.5e-16 at 0.1"),
        "norm_sf": (2e-13, "worst 1.6e-14 at 10"),
        "norm_cdf": (2e-13, "worst 1.3e-14 at -8"), "norm_ppf": (1e-14, "worst 6.2e-16 at 1e-30"),
        "gammainc": (2e-13, "worst 1.6e-14 at (10, 1e-7)"), "gammaincc": (5e-13, "worst 4.6e-14 at (100, 530)"),
        "gammaincinv": (1e-12, "worst 8.5e-14 at (1.5, 1e-300): P ∝ x^1.5 there, and the quantile carries P's relative error divided by 1.5"),
        "gammainccinv": (2e-14, "worst 1.3e-15 at (50, 1e-3)"),
        "chi2_sf": (1e-13, "worst 9.3e-15 at (1, 1)"), "chi2_cdf": (5e-14, "worst 4.2e-15 at (2e5, 2e5)"),
        "chi2_ppf": (1e-12, "worst 8.5e-14 at (3, 1e-300), as gammaincinv"), "chi2_isf": (1e-14, "worst 8.5e-16 at (1, 0.5)"),
        "t_cdf": (1e-13, "worst 1.1e-14 at (5, -1e6)"),
        "t_isf": (4e-13, "worst 3.9e-14 at (1, 1e-300)"),
        "t_ppf": (5e-14, "worst 3.5e-15 at (0.5, 1e-20)"),
        "t_sf": (2e-13, "worst 1.8e-14 at (100, 100)"),
    ]

    @Test func agreesWithScipyToEachFunctionsBound() throws {
        let rows = try Self.rows()
        #expect(rows.count > 1000)
        #expect(Set(rows.map(\.f)) == Set(Self.bounds.keys), "a bound for every function of the grid")
        var worst: [String: (Double, Row)] = [:]
        var failures = 0
        for r in rows {
            let got = Self.evaluate(r)
            let rel = abs(got - r.value) / abs(r.value)
            let bound = Self.bounds[r.f]?.0 ?? 0
            if !(rel <= bound) {
                failures += 1
                if failures <= 20 { Issue.record("\(r.f)\(r.args) = \(got), scipy \(r.value), relative error \(rel) over its bound \(bound)") }
            }
            if rel > (worst[r.f]?.0 ?? -1) { worst[r.f] = (rel, r) }
        }
        for (f, w) in worst.sorted(by: { $0.key < $1.key }) {
            print("special \(f.padding(toLength: 10, withPad: " ", startingAt: 0)) worst relative error \(String(format: "%.1e", w.0)) at \(w.1.args)")
        }
        #expect(failures == 0)
    }

    @Test func normalIsTheStandardNormalStandardised() {
        let n = Normal(loc: 1e9, scale: 2.5)
        for z in [-30.0, -3, -0.5, 0, 1.25, 8, 37] {
            let x = 1e9 + 2.5 * z
            #expect(n.cdf(x) == StandardNormal.cdf((x - 1e9) / 2.5))
            #expect(n.sf(x) == StandardNormal.sf((x - 1e9) / 2.5))
        }
        for p in [1e-300, 1e-10, 0.3, 0.5, 0.975] {
            #expect(abs(n.quantile(p) - (1e9 + 2.5 * StandardNormal.quantile(p))) <= 2e-16 * 1e9)
            #expect(n.inverseSF(p) == 1e9 + 2.5 * StandardNormal.inverseSF(p))
        }
        #expect(Normal().quantile(0) == -.infinity && Normal().inverseSF(0) == .infinity)
    }

    @Test func edgesAndSymmetry() {
        let t = StudentT(df: 7)
        #expect(t.cdf(0) == 0.5 && t.sf(0) == 0.5)
        #expect(t.cdf(.infinity) == 1 && t.sf(.infinity) == 0)
        #expect(t.cdf(-.infinity) == 0)
        #expect(t.quantile(0.5) == 0)
        #expect(t.quantile(0) == -.infinity && t.quantile(1) == .infinity)
        for x in [0.3, 2.0, 17.0] { #expect(abs(t.cdf(x) + t.cdf(-x) - 1) < 1e-15) }
        let f = FisherF(dfn: 3, dfd: 12)
        #expect(f.cdf(0) == 0 && f.sf(0) == 1)
        #expect(f.sf(.infinity) == 0)
        #expect(f.quantile(0) == 0 && f.inverseSF(0) == .infinity)
        // Round trips.
        for p in [1e-250, 1e-9, 0.2, 0.5, 0.8, 1 - 1e-9] {
            let q = t.quantile(p)
            #expect(abs(t.cdf(q) - p) <= 1e-13 * p)
            let fq = f.quantile(p)
            #expect(abs(f.cdf(fq) - p) <= 1e-12 * p)
        }
        #expect(SpecialFunctions.incompleteBeta(2, 3, x: 0, y: 1) == (0, 1))
        #expect(SpecialFunctions.incompleteBeta(2, 3, x: 1, y: 0) == (1, 0))
    }
}
