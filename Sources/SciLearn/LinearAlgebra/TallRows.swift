/// A tall matrix whose rows are produced block by block, for ``TallSkinnyQR``: the augmented
/// least-squares design, or the transpose of a wide design.
protocol TallRows: Sendable {
    /// Rows of the matrix.
    var rows: Int { get }
    /// Columns of the matrix.
    var width: Int { get }
    /// Writes rows `range` into `out` (column-major, leading dimension `ld`).
    func fill(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, ld: Int)
    /// Writes rows `range` into `out` row-major: row `i` of the range at `out + i·stride`, its
    /// `width` values first (the rest of each row is left as it is).
    func fillRows(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, stride: Int)
}
