/// The least-squares system `[1?, X − shift, y − yShift]` seen as one tall matrix whose rows are
/// produced block by block, so that the tall-skinny QR never materialises a shifted copy of X.
///
/// Appending y as the last column makes one QR deliver everything least squares needs: for
/// `[A y] = Q [[R, z], [0, ρ]]`, the solution solves `R b = z` and the residual sum of squares
/// is `ρ²`.
struct AugmentedDesign: TallRows {
    let x: Matrix
    let y: [Double]
    /// Subtracted from each column of X (the column means when centring, else zeros).
    let xShift: [Double]
    /// Subtracted from y.
    let yShift: Double
    /// Whether a column of ones leads the design (the explicit-intercept form).
    let leadingOnes: Bool

    var rows: Int { x.rows }
    /// Columns of the augmented matrix: the design's plus y.
    var width: Int { (leadingOnes ? 1 : 0) + x.columns + 1 }

    /// Writes rows `range` of the augmented matrix into `out` (column-major, leading dimension `ld`).
    func fill(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, ld: Int) {
        let m = range.count
        var c = 0
        if leadingOnes {
            for i in 0..<m { out[i] = 1 }
            c = 1
        }
        x.withUnsafeBufferPointer { xs in
            let xld = x.leadingDimension
            for j in 0..<x.columns {
                let src = xs.baseAddress! + j * xld + range.lowerBound
                let dst = out + (c + j) * ld
                let s = xShift[j]
                for i in 0..<m { dst[i] = src[i] - s }
            }
        }
        let dst = out + (width - 1) * ld
        y.withUnsafeBufferPointer { ys in
            for i in 0..<m { dst[i] = ys[range.lowerBound + i] - yShift }
        }
    }
}
