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
        precondition(rowMajor.count == rows * columns, "rowMajor must hold rows × columns elements")
        var out = [Double](repeating: 0, count: max(rows, 1) * columns)
        let block = 64
        rowMajor.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var i0 = 0
                while i0 < rows {
                    let i1 = min(i0 + block, rows)
                    for j in 0..<columns {
                        for i in i0..<i1 { dst[i + j * rows] = src[i * columns + j] }
                    }
                    i0 = i1
                }
            }
        }
        self.init(rows: rows, columns: columns, columnMajor: out)
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
}
