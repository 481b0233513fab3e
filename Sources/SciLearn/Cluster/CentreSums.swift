import CKernels

/// The sums and weights of each centre's rows under the current labels, carried from one
/// Lloyd (or Elkan) pass to the next: a pass either sums every row again (piece by piece, in
/// row order, the pieces combined in order: the sums scikit-learn forms) or, when few rows
/// changed centre in the previous pass, moves only the rows whose label changed, each move
/// compensated (TwoSum, the rounding errors kept in ``lo``), so that the running sums stay
/// within a few units in the last place of the last full pass's sums plus the exact moves,
/// however many passes moved them (a full pass's own rounding is carried, not added to). On W4 (1,000,000 × 20, k = 16) after about twenty passes a few hundred
/// rows move a pass: the pass then reads X only to measure distances.
///
/// Moving is used for unweighted data only: there a centre's weight is a whole number, so an
/// emptied centre's weight is exactly 0, as scikit-learn's empty-cluster rule needs.
/// Every decision depends on the labels alone (not on the thread count or the kernel path),
/// so a fit gives the same bits everywhere.
struct CentreSums: Sendable {
    /// One piece of rows' contribution: full sums, or the moves' compensated changes.
    struct Piece: Sendable {
        var sums: [Double]
        var lo: [Double]
        var weights: [Double]
        /// Rows whose label changed (moves only).
        var moved: Int
    }

    /// The rounded running sums, k × d centre-major.
    private(set) var sums: [Double]
    /// The rounding errors of ``sums`` (zero after a full pass).
    private(set) var lo: [Double]
    /// Each centre's weight.
    private(set) var weights: [Double]
    /// Whether these are the sums of the last pass's labels (false once empty clusters were
    /// re-seeded, which changes the sums without changing the labels).
    var followsLabels = true

    /// The sums of a full pass: the pieces' sums added in piece order.
    init(full pieces: [Piece]) {
        var sums = pieces[0].sums, weights = pieces[0].weights
        for p in pieces.dropFirst() {
            for e in sums.indices { sums[e] += p.sums[e] }
            for c in weights.indices { weights[c] += p.weights[c] }
        }
        self.sums = sums
        self.weights = weights
        lo = [Double](repeating: 0, count: sums.count)
    }

    /// Whether the next pass should move rows rather than sum them all: the sums follow the
    /// labels, the data are unweighted, and at most 1/32 of the rows changed centre in the last
    /// pass. A moved row costs about as much as 30 summed ones (its d features are d lines of
    /// the column-major X not in cache, and two compensated additions each), so on W4 the two
    /// kinds of pass take about the same time near n/32 moved rows.
    func movingPays(changed: Int, rows n: Int, weighted: Bool) -> Bool {
        followsLabels && !weighted && changed <= n / 32
    }

    /// Adds the pieces' moves, in piece order, each compensated.
    mutating func move(_ pieces: [Piece]) {
        for p in pieces {
            for e in sums.indices {
                let s = DoubleDouble.twoSum(sums[e], p.sums[e])
                sums[e] = s.hi
                lo[e] += s.lo + p.lo[e]
            }
            for c in weights.indices { weights[c] += p.weights[c] }
        }
    }

    /// The sums rounded (``sums`` + ``lo``) and the weights: what the next centres average.
    var rounded: (sums: [Double], weights: [Double]) {
        var out = sums
        for e in out.indices { out[e] += lo[e] }
        return (out, weights)
    }

    /// The moves of rows `range` of `data` (unweighted) from `previous` to `labels` (both
    /// indexed from the range's start).
    static func moves(_ data: KMeansData, rows range: Range<Int>, clusters k: Int, labels: UnsafePointer<Int32>, previous: UnsafePointer<Int32>) -> Piece {
        precondition(data.weights == nil, "rows are moved with weight 1: weighted fits sum every row")
        let d = data.columns
        var piece = Piece(sums: [Double](repeating: 0, count: k * d), lo: [Double](repeating: 0, count: k * d),
                          weights: [Double](repeating: 0, count: k), moved: 0)
        piece.moved = data.values.withUnsafeBufferPointer { x in
            piece.sums.withUnsafeMutableBufferPointer { s in
                piece.lo.withUnsafeMutableBufferPointer { l in
                    piece.weights.withUnsafeMutableBufferPointer { w in
                        scilearn_lloyd_moves(x.baseAddress, data.rows, d, range.lowerBound, range.upperBound, labels, previous,
                                             s.baseAddress, l.baseAddress, w.baseAddress)
                    }
                }
            }
        }
        return piece
    }
}
