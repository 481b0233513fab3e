/// A tall matrix whose rows are produced block by block, for ``TallSkinnyQR``: the augmented
/// least-squares design, or the transpose of a wide design.
protocol TallRows: Sendable {
    /// Rows of the matrix.
    var rows: Int { get }
    /// Columns of the matrix.
    var width: Int { get }
    /// Writes rows `range` into `out` (column-major, leading dimension `ld`).
    func fill(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, ld: Int)
}
