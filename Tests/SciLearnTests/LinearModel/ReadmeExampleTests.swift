import Testing
import SciLearn

/// The README's Swift example compiles and runs as written.
@Test func readmeExample() throws {
    let x = Matrix(rows: [[0, 3], [1, 4], [0, 8], [1, 9], [0, 2], [1, 6]])
    let y = [25.1, 31.0, 34.2, 41.9, 23.5, 35.8]
    let model = try LinearRegression(fitIntercept: true).fit(x, y)
    #expect(model.coefficients.count == 2)
    #expect(model.inference.pValues.count == 3)
    #expect(model.inference.confidenceIntervals.allSatisfy { $0 != nil })
    let yHat = try model.predict(x)
    #expect(yHat.count == 6)
    // Metamorphic: the fitted values' residuals are orthogonal to every column and sum to zero.
    let r = zip(y, yHat).map { $0 - $1 }
    #expect(abs(r.reduce(0, +)) < 1e-12)
    for j in 0..<2 { #expect(abs((0..<6).reduce(0.0) { $0 + r[$1] * x[$1, j] }) < 1e-11) }
}

/// Duplicating every sample leaves the coefficients unchanged and doubles df_resid + rank.
@Test func duplicatedSamplesSameCoefficients() throws {
    let x = Matrix(rows: [[1, 0.5], [2, 1.7], [3, 2.2], [4, 4.1], [5, 4.4], [6, 6.6]])
    let y = [1.2, 2.1, 2.8, 4.5, 5.1, 6.3]
    let a = try LinearRegression().fit(x, y)
    let x2 = Matrix(rows: x.rowArrays + x.rowArrays)
    let b = try LinearRegression().fit(x2, y + y)
    for (u, v) in zip(a.coefficients, b.coefficients) { #expect(abs(u - v) <= 1e-12 * abs(u)) }
    #expect(b.inference.dfResid == 2 * a.inference.dfResid + 3)
}

/// A duplicated column is detected as rank-deficient, with a warning; no intercept and a
/// constant column in X gets statsmodels' centred R².
@Test func rankDeficiencyAndImplicitConstant() throws {
    let x = Matrix(rows: [[1, 1, 2], [2, 2, 1], [3, 3, 5], [4, 4, 3], [5, 5, 8]])
    let m = try LinearRegression().fit(x, [1, 2, 2.9, 4.2, 5.1])
    #expect(m.rank == 3)
    #expect(m.warnings.contains { $0.contains("rank deficient") })
    #expect(abs(m.coefficients[0] - m.coefficients[1]) < 1e-10, "minimum norm splits a duplicated column evenly")
    let withConst = Matrix(rows: [[1, 1], [1, 2], [1, 3], [1, 4]])
    let c = try LinearRegression(fitIntercept: false).fit(withConst, [2, 4.1, 5.9, 8.2])
    let centred = try LinearRegression(fitIntercept: true).fit(Matrix(rows: [[1], [2], [3], [4]]), [2, 4.1, 5.9, 8.2])
    #expect(abs(c.inference.rSquared! - centred.inference.rSquared!) < 1e-12)
    #expect(c.inference.dfModel == 1)
}
