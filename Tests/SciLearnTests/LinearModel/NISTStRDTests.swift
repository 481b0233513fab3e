import Foundation
import Testing
@testable import SciLearn
import SciLearnTestSupport

/// The eleven NIST StRD linear regression datasets against their certified values.
///
/// Floors are the issue's: where numpy, statsmodels and scikit-learn at their defaults reach 0
/// on Filip and scikit-learn truncates every polynomial design. Filip's floor sits just under the
/// 7.6 digits that exact arithmetic on the double-rounded powers of x reaches.
@Suite(.ownThread(.computing)) struct NISTStRDTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let coefficientFloor: Double
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "Norris", coefficientFloor: 12), Case(name: "Pontius", coefficientFloor: 12),
        Case(name: "NoInt1", coefficientFloor: 14), Case(name: "NoInt2", coefficientFloor: 14),
        Case(name: "Longley", coefficientFloor: 12), Case(name: "Wampler1", coefficientFloor: 9),
        Case(name: "Wampler2", coefficientFloor: 12), Case(name: "Wampler3", coefficientFloor: 9),
        Case(name: "Wampler4", coefficientFloor: 7.5), Case(name: "Wampler5", coefficientFloor: 5.5),
        Case(name: "Filip", coefficientFloor: 7.5),
    ]

    /// Log relative error, capped at 15 (NIST's convention; the absolute error when certified is 0).
    static func lre(_ estimate: Double, _ certified: Double) -> Double {
        let err = certified == 0 ? abs(estimate) : abs(estimate - certified) / abs(certified)
        return err == 0 ? 15 : min(15, -log10(err))
    }

    static func load(_ name: String) throws -> (x: Matrix, y: [Double], intercept: Bool, coef: [Double], se: [Double], sd: Double, r2: Double) {
        let obj = try Fixtures.json("nist-strd/\(name).json") as! [String: Any]
        let y = (obj["y"] as! [NSNumber]).map(\.doubleValue)
        let rawX = obj["x"] as! [Any]
        var rows: [[Double]] = rawX.map { r in
            if let a = r as? [NSNumber] { return a.map(\.doubleValue) }
            return [(r as! NSNumber).doubleValue]
        }
        if let degree = obj["polynomial_degree"] as? Int {
            rows = rows.map { r in (1...degree).map { pow(r[0], Double($0)) } }
        }
        let cert = obj["certified"] as! [String: Any]
        return (Matrix(rows: rows), y, obj["intercept"] as! Bool,
                (cert["coef"] as! [NSNumber]).map(\.doubleValue), (cert["std_err"] as! [NSNumber]).map(\.doubleValue),
                (cert["residual_sd"] as! NSNumber).doubleValue, (cert["r_squared"] as! NSNumber).doubleValue)
    }

    @Test(arguments: cases)
    func certifiedValues(_ c: Case) throws {
        let d = try Self.load(c.name)
        let model = try LinearRegression(fitIntercept: d.intercept).fit(d.x, d.y)
        let params = d.intercept ? [model.intercept] + model.coefficients : model.coefficients
        let coefLRE = zip(params, d.coef).map { Self.lre($0, $1) }
        let seLRE = zip(model.inference.standardErrors, d.se).map { Self.lre($0 ?? .nan, $1) }
        let minCoef = coefLRE.min()!, minSE = seLRE.min()!
        let sdLRE = Self.lre(model.inference.sigma ?? .nan, d.sd)
        let r2LRE = Self.lre(model.inference.rSquared ?? .nan, d.r2)
        print("NIST \(c.name.padding(toLength: 9, withPad: " ", startingAt: 0)) min coef LRE \(String(format: "%5.1f", minCoef))  min se LRE \(String(format: "%5.1f", minSE))  residual sd LRE \(String(format: "%5.1f", sdLRE))  R² LRE \(String(format: "%5.1f", r2LRE))")
        let fmt = { (v: [Double]) in v.map { String(format: "%.1f", $0) }.joined(separator: " ") }
        print("NIST \(c.name) coefficient LREs [\(fmt(coefLRE))]  standard error LREs [\(fmt(seLRE))]")
        #expect(model.rank == d.coef.count, "the rank cutoff must not truncate \(c.name)")
        #expect(minCoef >= c.coefficientFloor, "\(c.name): coefficient LRE \(minCoef) < \(c.coefficientFloor)")
        #expect(minSE >= 6, "\(c.name): standard error LRE \(minSE) < 6")
        #expect(sdLRE >= 6 && r2LRE >= 6)
    }
}
