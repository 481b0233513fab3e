import CKernels

/// The least-squares system `[1?, X − shift, Y − yShift]` seen as one tall matrix whose rows are
/// produced block by block, so that the tall-skinny QR (or a cross product) never materialises a
/// shifted copy of X.
///
/// Appending y as the last column makes one QR deliver everything least squares needs: for
/// `[A y] = Q [[R, z], [0, ρ]]`, the solution solves `R b = z` and the residual sum of squares
/// is `ρ²`. Several targets (ridge's multi-output form) are several trailing columns.
struct AugmentedDesign: TallRows {
    let x: Matrix
    /// The targets, one per column (none for the design alone).
    let targets: Matrix
    /// Subtracted from each column of X (the column means when centring, else zeros).
    let xShift: [Double]
    /// Subtracted from each target column.
    let yShifts: [Double]
    /// Whether a column of ones leads the design (the explicit-intercept form).
    let leadingOnes: Bool

    /// One target `y`.
    init(x: Matrix, y: [Double], xShift: [Double], yShift: Double, leadingOnes: Bool) {
        self.init(x: x, targets: Matrix(rows: y.count, columns: 1, columnMajor: y), xShift: xShift, yShifts: [yShift], leadingOnes: leadingOnes)
    }

    /// Any number of targets (the columns of `targets`, n rows).
    init(x: Matrix, targets: Matrix, xShift: [Double], yShifts: [Double], leadingOnes: Bool) {
        precondition(xShift.count == x.columns && yShifts.count == targets.columns, "one shift per column")
        precondition(targets.columns == 0 || targets.rows == x.rows, "targets need one row per sample")
        self.x = x
        self.targets = targets
        self.xShift = xShift
        self.yShifts = yShifts
        self.leadingOnes = leadingOnes
    }

    var rows: Int { x.rows }
    /// Columns of the augmented matrix: the design's plus the targets.
    var width: Int { (leadingOnes ? 1 : 0) + x.columns + targets.columns }

    /// Writes rows `range` of the augmented matrix into `out` (column-major, leading dimension `ld`).
    func fill(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, ld: Int) {
        let m = range.count
        var c = 0
        if leadingOnes {
            for i in 0..<m { out[i] = 1 }
            c = 1
        }
        for (part, shifts) in [(x, xShift), (targets, yShifts)] {
            part.withUnsafeBufferPointer { xs in
                let pld = part.leadingDimension
                for j in 0..<part.columns {
                    let src = xs.baseAddress! + j * pld + range.lowerBound
                    let dst = out + (c + j) * ld
                    let s = shifts[j]
                    for i in 0..<m { dst[i] = src[i] - s }
                }
            }
            c += part.columns
        }
    }
}

extension AugmentedDesign {
    func fillRows(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, stride: Int) {
        let m = range.count
        var c = 0
        if leadingOnes {
            for i in 0..<m { out[i * stride] = 1 }
            c = 1
        }
        for (part, shifts) in [(x, xShift), (targets, yShifts)] where part.columns > 0 {
            part.withUnsafeBufferPointer { xs in
                shifts.withUnsafeBufferPointer { sp in
                    scilearn_pack_rows(xs.baseAddress!, part.leadingDimension, part.columns, sp.baseAddress!,
                                       range.lowerBound, m, out, stride, c)
                }
            }
            c += part.columns
        }
    }

    /// Writes the first `columns` columns of every row (the shifted design without its targets)
    /// into `out` (column-major, leading dimension `rows`).
    func fillDesign(into out: UnsafeMutablePointer<Double>, columns: Int) {
        precondition(!leadingOnes, "fillDesign writes the shifted X only")
        let n = rows
        x.withUnsafeBufferPointer { xs in
            for j in 0..<min(columns, x.columns) {
                let src = xs.baseAddress! + j * x.leadingDimension
                let dst = out + j * n
                let s = xShift[j]
                for i in 0..<n { dst[i] = src[i] - s }
            }
        }
    }
}
