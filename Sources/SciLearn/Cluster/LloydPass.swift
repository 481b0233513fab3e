import CKernels

/// One pass of the k-means assignment over all rows, with the sums of the next centres: the C
/// kernel (`scilearn_lloyd_chunk`: distances as ‖c‖² − 2x·c, register-tiled 8 rows at a time,
/// vectorised for AVX2 + FMA or AVX-512 when the CPU has them, argmin and the weighted sums in
/// the same pass over X) on fixed pieces of rows split across cores by ``Parallel``; or, once
/// few labels change, the distances alone and then only the rows that changed centre moved
/// between the sums (`scilearn_lloyd_moves`, ``CentreSums``).
/// On AVX2 without AVX-512 the distances are measured in single precision, 16 rows a tile
/// (from ``KMeansData/single`` when the data carry it), and a row's nearest centre kept only
/// when its margin over the second exceeds a bound on the single-precision error (else
/// measured again in double): the labels are the double path's.
///
/// The pieces depend only on the shapes, and their partial sums are combined in piece order, so
/// the result is bit-for-bit the same with any thread count; every kernel path rounds the same,
/// so it is the same on every x86-64 machine too.
///
/// - Complexity: 2·n·k·d flops; reads X once (or its single-precision copy, half the bytes);
///   (pieces) · (2·k·d + k) doubles of partial sums.
struct LloydPass {
    /// What a pass adds up besides the labels.
    enum Sums {
        /// Nothing: labels only.
        case none
        /// Every row's (weighted) sum into its centre: one ``CentreSums/Piece`` a piece.
        case full
        /// Only the rows whose label differs from `workspace.previous` (unweighted data), moved
        /// between their centres' sums, compensated (``CentreSums``).
        case moves
    }

    /// Each piece's sums or moves, in piece order (empty for ``Sums/none``).
    var pieces: [CentreSums.Piece]
    /// Rows whose label differs from the previous pass's (n when there was none).
    var changed: Int

    /// Buffers a run's passes reuse: the labels of this pass and the last (no pass keeps the
    /// distances, so that the AVX2 kernel may measure them in single precision, certified).
    /// (Changed only between passes, on the calling thread.)
    final class Workspace: @unchecked Sendable {
        private(set) var labels: SharedBuffer<Int32>
        private(set) var previous: SharedBuffer<Int32>

        init(rows n: Int) {
            labels = SharedBuffer(repeating: 0, count: n)
            previous = SharedBuffer(repeating: -1, count: n)
        }

        /// Makes this pass's labels the previous ones (the buffers swap; the next pass
        /// overwrites every label).
        func keepLabels() {
            swap(&labels, &previous)
        }
    }

    /// The pieces of `0..<rows` the pass is split into: at most 64, at least 1,024 rows each,
    /// and no more than 64 MiB of partial sums (twice that in a moving pass, whose pieces also
    /// carry their sums' compensation, ``CentreSums/Piece``); boundaries are multiples of 8 (the
    /// kernel's tile).
    static func pieces(rows n: Int, clusters k: Int, columns d: Int) -> [Range<Int>] {
        let bySums = max(1, (64 << 20) / (8 * (k * d + k)))
        let count = max(1, min(64, n / 1024, bySums))
        var out: [Range<Int>] = []
        var start = 0
        for p in 0..<count {
            var end = p == count - 1 ? n : (n * (p + 1) / count) / 8 * 8
            end = max(end, start)
            out.append(start..<end)
            start = end
        }
        return out
    }

    /// The pass against `centers` (k × d, centre-major, in the coordinates of `data`), its
    /// labels written to `workspace.labels`, with `sums` as asked; `countChanges`: count the
    /// labels that differ from `workspace.previous` (moves always count them).
    init(_ data: KMeansData, centers: [Double], clusters k: Int, sums mode: Sums, countChanges: Bool, workspace: Workspace) throws(SciLearnError) {
        let n = data.rows, d = data.columns
        let (ct, cc) = Self.featureMajor(centers, count: k, columns: d)
        let pieces = Self.pieces(rows: n, clusters: k, columns: d)
        let full = mode == .full
        let partials = try Parallel.map(pieces.count, work: n * k * d) { (p: Int) throws(SciLearnError) -> CentreSums.Piece in
            let range = pieces[p], r0 = range.lowerBound
            var sums = [Double](repeating: 0, count: full ? k * d : 0)
            var weights = [Double](repeating: 0, count: full ? k : 0)
            let previous = UnsafePointer(workspace.previous.pointer + r0)
            let changed = data.values.withUnsafeBufferPointer { x in
                ct.withUnsafeBufferPointer { ct in
                    cc.withUnsafeBufferPointer { cc in
                        sums.withUnsafeMutableBufferPointer { sums in
                            weights.withUnsafeMutableBufferPointer { weights in
                                Self.weightPointer(data.weights) { w in
                                    // (A full pass reads X for the sums anyway: there the copy would
                                    // only add bytes.)
                                    Self.singlePointer(full ? nil : data) { xf in
                                        scilearn_lloyd_chunk_counted(x.baseAddress, xf, n, d, r0, range.upperBound, ct.baseAddress, cc.baseAddress, k, w,
                                                                     workspace.labels.pointer + r0, nil,
                                                                     countChanges && mode != .moves ? previous : nil,
                                                                     full ? sums.baseAddress : nil, full ? weights.baseAddress : nil, nil, 0, nil)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if mode == .moves {
                return CentreSums.moves(data, rows: range, clusters: k, labels: workspace.labels.pointer + r0, previous: previous)
            }
            return CentreSums.Piece(sums: sums, lo: [], weights: weights, moved: changed)
        }
        self.pieces = mode == .none ? [] : partials
        self.changed = countChanges || mode == .moves ? partials.reduce(0) { $0 + $1.moved } : n
    }

    /// The nearest of `centers` for every row, as a new array.
    static func labels(_ data: KMeansData, centers: [Double], clusters k: Int) throws(SciLearnError) -> [Int32] {
        let workspace = Workspace(rows: data.rows)
        _ = try LloydPass(data, centers: centers, clusters: k, sums: .none, countChanges: false, workspace: workspace)
        return workspace.labels.array
    }

    /// The kernel's layout of `count` points (centre-major, `columns` wide): feature-major
    /// (`ct[j * count + c]`), and each point's squared norm.
    static func featureMajor(_ points: [Double], count k: Int, columns d: Int) -> (ct: [Double], cc: [Double]) {
        var ct = [Double](repeating: 0, count: d * k)
        var cc = [Double](repeating: 0, count: k)
        for c in 0..<k {
            var s = 0.0
            for j in 0..<d {
                let v = points[c * d + j]
                ct[j * k + c] = v
                s += v * v
            }
            cc[c] = s
        }
        return (ct, cc)
    }

    private static func singlePointer<R>(_ data: KMeansData?, _ body: (UnsafePointer<scilearn_single_rows>?) -> R) -> R {
        guard let data, let xf = data.single else { return body(nil) }
        var rows = scilearn_single_rows(x: xf.pointer, norms: data.singleNorms.map { UnsafePointer($0.pointer) })
        return withUnsafePointer(to: &rows) { body($0) }
    }

    /// The sample weights' pointer for the kernels (null when every weight is 1).
    static func weightPointer<R>(_ w: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
        guard let w else { return body(nil) }
        return w.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
