/// A dense matrix of `Double` in contiguous column-major storage, the layout BLAS and LAPACK
/// expect, so that the engine hands its buffer to them without copies.
///
/// Element `(i, j)` lives at `storage[i + j * leadingDimension]`. Construction from rows
/// (`init(rows:)`) exists for the JSON boundary and for tests; hot paths build matrices from
/// flat buffers (`init(rows:columns:columnMajor:)`, `init(rows:columns:rowMajor:)`).
public struct Matrix: Sendable, Equatable, Codable {
    /// Number of rows (samples).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// Distance between the starts of consecutive columns in `storage`; `rows` unless this
    /// matrix was built over a larger buffer.
    public let leadingDimension: Int
    /// The column-major elements.
    public var storage: [Double]

    /// A matrix over column-major elements.
    ///
    /// - Precondition: `rows >= 0`, `columns >= 0`, `leadingDimension >= max(1, rows)` and
    ///   `storage.count >= leadingDimension * columns` (when `columns > 0`).
    public init(rows: Int, columns: Int, columnMajor storage: [Double], leadingDimension: Int? = nil) {
        let ld = leadingDimension ?? max(rows, 1)
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(ld >= max(rows, 1), "leadingDimension must be >= max(1, rows)")
        precondition(columns == 0 || storage.count >= ld * (columns - 1) + rows,
                     "storage holds fewer elements than rows × columns")
        self.rows = rows
        self.columns = columns
        self.leadingDimension = ld
        self.storage = storage
    }

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, columnMajor: [Double](repeating: 0, count: max(rows, 1) * columns))
    }

    /// A matrix from row-major elements (C order, as NumPy writes them): element `(i, j)` at
    /// `rowMajor[i * columns + j]`.
    ///
    /// - Complexity: O(rows · columns), a blocked transpose.
    public init(rows: Int, columns: Int, rowMajor: [Double]) {
        self.init(rows: rows, columns: columns, columnMajor: Self.transposed(rowMajor, rows: rows, columns: columns) {})
    }

    /// The same as ``init(rows:columns:rowMajor:)``, for the large matrices of request bodies
    /// (about 0.1 s per 15 million numbers): checks the current ``CancellationToken`` between
    /// blocks of 64 rows.
    ///
    /// - Throws: `cancelled` only.
    public static func fromRowMajor(rows: Int, columns: Int, _ rowMajor: [Double]) throws(SciLearnError) -> Matrix {
        let out = try transposed(rowMajor, rows: rows, columns: columns) { () throws(SciLearnError) in try CancellationToken.check() }
        return Matrix(rows: rows, columns: columns, columnMajor: out)
    }

    /// Row-major to column-major by blocks of 64 rows (each block's reads stay in cache),
    /// calling `between` before each block.
    private static func transposed<E: Error>(_ rowMajor: [Double], rows: Int, columns: Int,
                                             between: () throws(E) -> Void) throws(E) -> [Double] {
        precondition(rowMajor.count == rows * columns, "rowMajor must hold rows × columns elements")
        var out = [Double](repeating: 0, count: max(rows, 1) * columns)
        let block = 64
        try rowMajor.withUnsafeBufferPointer { (src) throws(E) in
            try out.withUnsafeMutableBufferPointer { (dst) throws(E) in
                var i0 = 0
                while i0 < rows {
                    try between()
                    let i1 = min(i0 + block, rows)
                    for j in 0..<columns {
                        for i in i0..<i1 { dst[i + j * rows] = src[i * columns + j] }
                    }
                    i0 = i1
                }
            }
        }
        return out
    }

    /// A matrix from an array of rows: the JSON boundary's shape.
    ///
    /// - Precondition: every row has the same length.
    public init(rows data: [[Double]]) {
        let n = data.count
        let p = data.first?.count ?? 0
        var out = [Double](repeating: 0, count: max(n, 1) * p)
        for (i, row) in data.enumerated() {
            precondition(row.count == p, "every row must have the same number of columns")
            for j in 0..<p { out[i + j * n] = row[j] }
        }
        self.init(rows: n, columns: p, columnMajor: out)
    }

    /// Element `(row, column)`.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * leadingDimension] }
        set { storage[row + column * leadingDimension] = newValue }
    }

    /// The rows as arrays: for the JSON boundary only.
    public var rowArrays: [[Double]] {
        (0..<rows).map { i in (0..<columns).map { j in self[i, j] } }
    }

    /// Calls `body` with the column-major buffer (leading dimension `leadingDimension`).
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Double>) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Copies the upper triangle of the `n × n` column-major `a` into its lower triangle.
    static func mirrorUpper(_ a: inout [Double], n: Int) {
        for j in 0..<n { for i in 0..<j { a[j + i * n] = a[i + j * n] } }
    }
}
