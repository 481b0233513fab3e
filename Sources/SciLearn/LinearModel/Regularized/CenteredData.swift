/// The checked, centred view of a regression problem shared by the penalised linear models:
/// X and the targets validated (finite, matching rows, at least one sample and one feature) and
/// the shifts scikit-learn's `_preprocess_data` applies: column means of X and of each target
/// when an intercept is fitted (the intercept is then not penalised), zeros otherwise.
struct CenteredData: Sendable {
    let x: Matrix
    let targets: Matrix
    let xMeans: [Double]
    let yMeans: [Double]

    var rows: Int { x.rows }
    var columns: Int { x.columns }

    /// - Throws: `invalidData` naming `X`, `y` or the first non-finite element.
    init(x: Matrix, targets: Matrix, fitIntercept: Bool, minimumRows: Int = 1) throws(SciLearnError) {
        // With an intercept the column means double as the finiteness check (a NaN or ±inf
        // anywhere makes its column's sum non-finite), saving a pass over X; the element is
        // then found and named by the full check.
        if !fitIntercept { _ = try Validation.finiteColumnMaxima(x, name: "X") }
        _ = try Validation.finiteColumnMaxima(targets, name: "y")
        let n = x.rows
        guard targets.rows == n else {
            throw .invalidData("y", "has \(targets.rows) values but X has \(n) rows; they must match")
        }
        guard n >= minimumRows else {
            throw .invalidData("X", "has \(n) row\(n == 1 ? "" : "s"); at least \(minimumRows) sample\(minimumRows == 1 ? " is" : "s are") required")
        }
        guard x.columns >= 1 else { throw .invalidData("X", "has no columns; at least one feature is required") }
        self.x = x
        self.targets = targets
        if fitIntercept {
            xMeans = try AccurateSum.columnMeans(x).map(\.value)
            if xMeans.contains(where: { !$0.isFinite }) {
                _ = try Validation.finiteColumnMaxima(x, name: "X")
                throw SciLearnError(.numericalFailure, field: "X", "column sums of X overflow the double range (values near 1e308); rescale the data")
            }
            yMeans = try AccurateSum.columnMeans(targets).map(\.value)
        } else {
            xMeans = [Double](repeating: 0, count: x.columns)
            yMeans = [Double](repeating: 0, count: targets.columns)
        }
    }

    /// `[X − x̄, Y − ȳ]`, produced block by block.
    var augmented: AugmentedDesign {
        AugmentedDesign(x: x, targets: targets, xShift: xMeans, yShifts: yMeans, leadingOnes: false)
    }

    /// The centred cross products `[Xc Yc]ᵀ[Xc Yc]` ((p + k) × (p + k), column-major) in one pass.
    ///
    /// - Throws: `numericalFailure` when a sum of squares overflows (values near the limits of
    ///   the double range).
    func crossProducts() throws(SciLearnError) -> [Double] {
        let c = try augmented.crossProduct()
        if c.contains(where: { !$0.isFinite }) {
            throw SciLearnError(.numericalFailure, field: "X",
                                "sums of squares of X and y overflow the double range (values near 1e154 or beyond); rescale the data")
        }
        return c
    }

    /// A centred copy of X (n × p, column-major) for the solvers that sweep its columns.
    func centeredX() -> Matrix {
        var out = [Double](repeating: 0, count: max(rows, 1) * columns)
        out.withUnsafeMutableBufferPointer { o in
            augmented.fillDesign(into: o.baseAddress!, columns: columns)
        }
        return Matrix(rows: rows, columns: columns, columnMajor: out)
    }

    /// The intercepts `ȳ − x̄ᵀ w` for coefficients `w` (p × k, column-major).
    func intercepts(_ w: [Double]) -> [Double] {
        let p = columns
        return yMeans.indices.map { t in
            var s = yMeans[t]
            for j in 0..<p { s -= xMeans[j] * w[j + t * p] }
            return s
        }
    }
}
