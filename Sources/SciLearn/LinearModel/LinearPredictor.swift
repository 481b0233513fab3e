import CLapack

/// The prediction rule shared by every linear model: `X·coefficients + intercept`.
///
/// Fitted models predict through it, and so does a model rebuilt from its serialised
/// coefficients (the service's `predict` task).
public struct LinearPredictor: Sendable, Codable, Hashable {
    /// One slope per column of X.
    public var coefficients: [Double]
    /// Added to every prediction (0 for a model without one).
    public var intercept: Double

    /// A predictor from serialised parameters (a fit response's `coef` and `intercept`).
    public init(coefficients: [Double], intercept: Double) {
        self.coefficients = coefficients
        self.intercept = intercept
    }

    /// `X b + intercept`.
    ///
    /// - Throws: `invalidData` when X has the wrong number of columns or non-finite values.
    /// - Complexity: O(n·p), one GEMV.
    public func predict(_ x: Matrix) throws(SciLearnError) -> [Double] {
        guard x.columns == coefficients.count else {
            throw .invalidData("X", "has \(x.columns) columns but the model was fitted on \(coefficients.count)")
        }
        BLASThreading.pinSingleThreaded()
        _ = try Validation.finiteColumnMaxima(x, name: "X")
        var out = [Double](repeating: intercept, count: x.rows)
        if x.rows == 0 || x.columns == 0 { return out }
        x.withUnsafeBufferPointer { xs in
            coefficients.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(x.rows), Int32(x.columns), 1.0,
                                xs.baseAddress, Int32(x.leadingDimension), b.baseAddress, 1, 1.0, o.baseAddress, 1)
                }
            }
        }
        return out
    }
}
