import Foundation
import Testing
import SciLearnTestSupport
@testable import SciLearn

/// Metamorphic tests of OLS at extreme magnitudes (no oracle needed): scaling a column of X by c
/// divides its coefficient and standard error by c and leaves t, p, R² and F unchanged; scaling y
/// by c scales coefficients, standard errors and sigma by c. Down to 1e-300 and up to 1e300,
/// where naive sums of squares under- or overflow.
@Suite(.ownThread(.computing)) struct LinearRegressionScalingTests {
    static let x = Matrix(rows: [[1, 0.5], [2, 1.7], [3, 2.2], [4, 4.1], [5, 4.4], [6, 6.6], [7, 6.9]])
    static let y = [1.2, 2.1, 2.8, 4.5, 5.1, 6.3, 7.7]

    static func near(_ a: Double?, _ b: Double?, _ tol: Double = 1e-12) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= tol * max(abs(a), abs(b)) || a == b
    }

    @Test(arguments: [1e-300, 1e-200, 1e200, 1e300])
    func columnScaleEquivariance(_ c: Double) throws {
        let base = try LinearRegression().fit(Self.x, Self.y)
        var xs = Self.x
        for i in 0..<xs.rows { xs[i, 1] *= c }
        let m = try LinearRegression().fit(xs, Self.y)
        #expect(m.rank == base.rank && m.warnings.isEmpty, "\(m.warnings)")
        #expect(Self.near(m.coefficients[0], base.coefficients[0]))
        #expect(Self.near(m.coefficients[1] * c, base.coefficients[1]))
        #expect(Self.near(m.intercept, base.intercept))
        #expect(Self.near(m.inference.standardErrors[2].map { $0 * c }, base.inference.standardErrors[2]))
        for k in 0..<3 {
            #expect(Self.near(m.inference.tValues[k], base.inference.tValues[k], 1e-10))
            #expect(Self.near(m.inference.pValues[k], base.inference.pValues[k], 1e-10))
        }
        #expect(Self.near(m.inference.rSquared, base.inference.rSquared))
        #expect(Self.near(m.inference.fStatistic, base.inference.fStatistic, 1e-10))
    }

    @Test(arguments: [1e-300, 1e300])
    func responseScaleEquivariance(_ c: Double) throws {
        let base = try LinearRegression().fit(Self.x, Self.y)
        let m = try LinearRegression().fit(Self.x, Self.y.map { $0 * c })
        for (a, b) in zip(m.coefficients, base.coefficients) { #expect(Self.near(a, b * c)) }
        #expect(Self.near(m.intercept, base.intercept * c))
        #expect(Self.near(m.inference.sigma, base.inference.sigma.map { $0 * c }))
        #expect(Self.near(m.inference.standardErrors[1], base.inference.standardErrors[1].map { $0 * c }))
        #expect(Self.near(m.inference.pValues[1], base.inference.pValues[1], 1e-10))
        #expect(Self.near(m.inference.rSquared, base.inference.rSquared))
        // SSR scales by c², so ln L shifts by −n·ln c.
        #expect(Self.near(m.inference.logLikelihood, base.inference.logLikelihood.map { $0 - 7 * log(c) }, 1e-10))
    }

    /// Nothing fitted beyond a constant: R² is exactly 0 (statsmodels), and F is undefined with a warning.
    @Test func constantOnlyFitsHaveZeroRSquared() throws {
        let interceptOnly = try LinearRegression().fit(Matrix(rows: [[], [], [], []]), [1, 2, 4, 3.5])
        #expect(interceptOnly.inference.rSquared == 0 && interceptOnly.inference.adjustedRSquared == 0)
        #expect(interceptOnly.inference.fStatistic == nil)
        #expect(interceptOnly.warnings.contains { $0.contains("df_model is 0") })
        let rankZero = try LinearRegression(fitIntercept: false).fit(Matrix(rows: [[0], [0], [0]]), [1, 2, 4])
        #expect(rankZero.rank == 0 && rankZero.inference.rSquared == 0)
    }
}

/// Non-finite input from Swift callers (JSON cannot carry it) is an error naming the element.
@Test(.ownThread(.computing), arguments: [Double.nan, .infinity, -.infinity])
func nonFiniteInputNamesTheElement(_ bad: Double) {
    var x = Matrix(rows: [[1, 2], [2, 1], [3, 5], [4, 4]])
    x[2, 1] = bad
    #expect(throws: SciLearnError(.invalidData, field: "X[2][1]", "must be a finite number; got \(bad)")) {
        try LinearRegression().fit(x, [1, 2, 3, 4])
    }
    #expect(throws: SciLearnError(.invalidData, field: "y[3]", "must be a finite number; got \(bad)")) {
        try LinearRegression().fit(Matrix(rows: [[1], [2], [3], [4]]), [1, 2, 3, bad])
    }
    let model = LinearPredictor(coefficients: [1, 1], intercept: 0)
    #expect(throws: SciLearnError.self) { try model.predict(x) }
}
