import CDataKernels
import CKernels
import SciLearn
import SciLearnService
import Synchronization

/// A numpy `.npy` file (format versions 1.0, 2.0 and 3.0): a header with the array's dtype,
/// order and shape, then the values. Opening reads the header only, so the shape is checked
/// against the limits before any value is read; ``read(columns:maxCells:isCancelled:)`` streams
/// the values into column-major doubles (a C-order array is transposed on the way); an
/// uncompressed local file in pieces read apart (`pread`) on the engine's threads.
///
/// dtypes: float64, float32, signed and unsigned integers of 1 to 8 bytes, either byte order.
/// Booleans, complex numbers, strings and objects are refused, and so is a value that is not
/// finite (naming its row and column). A file whose length differs from what the header's
/// shape needs is refused as lying about its shape.
final class NPYTable: DataTable {
    let header: DataTableHeader
    private let source: ByteSource
    private let kind: Kind
    private let size: Int
    private let bigEndian: Bool
    private let fortranOrder: Bool
    private let shape: [Int]
    /// The bytes the header takes (magic, version, length and the dict), when known.
    private let headerBytes: Int
    /// The whole file's length, when the source knows it (a local file).
    private let fileSize: Int?
    /// The file itself when the source is an uncompressed local file: its values are then read
    /// in pieces at their offsets, in parallel.
    private let file: FileByteSource?

    enum Kind { case float, signed, unsigned }

    init(source: ByteSource, fileSize: Int?, file: FileByteSource? = nil) throws(DataSourceError) {
        self.source = source
        self.fileSize = fileSize
        self.file = fileSize != nil ? file : nil
        var prefix = [UInt8](repeating: 0, count: 12)
        let got = try source.readFully(&prefix, 0..<prefix.count)
        guard got >= 10, prefix[0] == 0x93, Array(prefix[1..<6]) == Array("NUMPY".utf8) else {
            throw DataSourceError("is not a .npy file (no \\x93NUMPY magic)")
        }
        let major = prefix[6]
        let length: Int
        let start: Int
        switch major {
        case 1: length = Int(prefix[8]) | Int(prefix[9]) << 8; start = 10
        case 2, 3:
            guard got >= 12 else { throw DataSourceError("ends inside its header") }
            length = Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24
            start = 12
        default: throw DataSourceError("is a .npy file of format version \(major).\(prefix[7]); versions 1, 2 and 3 are read")
        }
        guard length <= 1 << 20 else { throw DataSourceError("has a header of \(length) bytes; at most 1 MiB is read") }
        var text = Array(prefix[start..<got])
        if text.count > length { throw DataSourceError("ends inside its header") }
        var rest = [UInt8](repeating: 0, count: length - text.count)
        let n = try source.readFully(&rest, 0..<rest.count)
        guard n == rest.count else { throw DataSourceError("ends inside its header") }
        text += rest
        headerBytes = start + length
        let dict = try NPYHeader(String(decoding: text, as: UTF8.self))
        (kind, size, bigEndian) = try Self.dtype(dict.descr)
        fortranOrder = dict.fortranOrder
        shape = dict.shape
        guard (1...2).contains(shape.count) else {
            throw DataSourceError("holds an array of \(shape.count) dimensions \(Self.describe(shape)); one or two are read")
        }
        header = .shape(shape)
    }

    /// (kind, bytes, big-endian) of a numpy type string such as `<f8`.
    static func dtype(_ descr: String) throws(DataSourceError) -> (Kind, Int, Bool) {
        var chars = Array(descr.utf8)
        var big = false
        if let c = chars.first, [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "=")].contains(c) {
            big = c == UInt8(ascii: ">")
            chars.removeFirst()
        }
        guard chars.count >= 2, let size = Int(String(decoding: chars.dropFirst(), as: UTF8.self)) else {
            throw DataSourceError("has dtype '\(descr)', which is not read (float64, float32 or integers)")
        }
        switch (chars[0], size) {
        case (UInt8(ascii: "f"), 4), (UInt8(ascii: "f"), 8): return (.float, size, big)
        case (UInt8(ascii: "i"), 1), (UInt8(ascii: "i"), 2), (UInt8(ascii: "i"), 4), (UInt8(ascii: "i"), 8): return (.signed, size, big)
        case (UInt8(ascii: "u"), 1), (UInt8(ascii: "u"), 2), (UInt8(ascii: "u"), 4), (UInt8(ascii: "u"), 8): return (.unsigned, size, big)
        case (UInt8(ascii: "b"), _): throw DataSourceError("has dtype '\(descr)' (booleans): booleans are not read as numbers; save 1 and 0 as integers")
        default: throw DataSourceError("has dtype '\(descr)', which is not read (float64, float32 or integers)")
        }
    }

    static func describe(_ shape: [Int]) -> String { DataTableHeader.shapeText(shape) }

    /// Chunks a piece of the parallel read takes (each chunk about 1 MiB): the pieces depend on
    /// the file only, never on the cores.
    static let chunksPerPiece = 4

    func read(columns: [Int]?, maxCells: Int, isCancelled: @escaping @Sendable () -> Bool) throws(DataSourceError) -> (rows: Int, values: [Double]) {
        let read = try readCountingPieces(maxCells: maxCells, isCancelled: isCancelled)
        return (read.rows, read.values)
    }

    /// ``read(columns:maxCells:isCancelled:)``, and how many pieces were read in parallel (0: the
    /// sequential reader): for the tests.
    func readCountingPieces(maxCells: Int, isCancelled: @escaping @Sendable () -> Bool) throws(DataSourceError) -> (rows: Int, values: [Double], pieces: Int) {
        let rows = shape[0], cols = shape.count == 2 ? shape[1] : 1
        let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard !overflow, count <= maxCells else {
            throw DataSourceError(.tooLarge, "\(Self.describe(shape)) is \(overflow ? "beyond" : String(count)) values: past the limit of \(maxCells)")
        }
        let needed = count * size
        if let fileSize, fileSize - headerBytes != needed {
            throw DataSourceError("holds \(fileSize - headerBytes) bytes of values, but its header's shape \(Self.describe(shape)) of \(size)-byte values needs \(needed): the header does not describe the file")
        }
        // Every element is written below before the array is returned (or the read throws): no
        // zero-filling pass first; huge pages where the kernel gives them (one fault per 2 MiB).
        var values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            scilearn_advise_huge_pages(buffer.baseAddress, count * MemoryLayout<Double>.stride)
            initialized = count
        }
        // Whole rows a chunk (C order), so that a chunk is transposed as a block: each column's
        // run written contiguously, the rows read from the chunk in cache.
        let contiguousOrder = fortranOrder || cols == 1
        let chunkValues = contiguousOrder ? (1 << 20) / size : max(1, (1 << 20) / (size * max(cols, 1))) * max(cols, 1)
        let chunks = (count + chunkValues - 1) / chunkValues
        // (Rows wider than a chunk make a chunk a row: read sequentially, one row's buffer, rather
        // than one such buffer for each core.)
        if let file, chunks > 1, chunkValues * size <= 1 << 20 {
            // Pieces of whole chunks, read at their offsets on the engine's threads: the same
            // chunks as below, each converted the same way, and the first problem in the file's
            // order reported (a piece stops at its first, the pieces after the first that failed
            // stop too, and the pieces are looked at in order).
            let pieces = (chunks + Self.chunksPerPiece - 1) / Self.chunksPerPiece
            let shared = Shared(table: self, file: file)
            let firstFailed = Atomic<Int>(Int.max)
            let outcomes = values.withUnsafeMutableBufferPointer { buffer in
              let into = MatrixDestination(base: buffer.baseAddress)
              return Parallelism.map(pieces, work: needed) { (k: Int) -> PieceOutcome in
                let table = shared.table, file = shared.file
                var chunk = [UInt8](repeating: 0, count: chunkValues * table.size)
                func failed(_ outcome: PieceOutcome) -> PieceOutcome {
                    firstFailed.min(k, ordering: .relaxed)
                    return outcome
                }
                for t in (k * Self.chunksPerPiece)..<min(chunks, (k + 1) * Self.chunksPerPiece) {
                    // (A piece before this one failed: what this one holds will not be looked at.)
                    if firstFailed.load(ordering: .relaxed) < k { return .read }
                    if isCancelled() { return failed(.cancelled) }
                    let done = t * chunkValues
                    let want = min(chunkValues, count - done) * table.size
                    let read = chunk.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) -> Result<Int, DataSourceError> in
                        do throws(DataSourceError) {
                            return .success(try file.read(at: table.headerBytes + done * table.size, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<want])))
                        } catch {
                            return .failure(error)
                        }
                    }
                    let got: Int
                    switch read {
                    case .success(let n): got = n
                    case .failure(let error): return failed(.failed(error))
                    }
                    guard got == want else { return failed(.short(done * table.size + got)) }
                    let bad = chunk.withUnsafeBytes { table.convert($0, values: want / table.size, from: done, rows: rows, cols: cols, into: into.base!) }
                    if let bad { return failed(.notFinite(bad.row, bad.column, bad.value)) }
                }
                return .read
              }
            }
            for outcome in outcomes {
                switch outcome {
                case .read: continue
                case .cancelled: throw DataSourceError(.cancelled, "cancelled")
                case .failed(let error): throw error
                case .short(let bytes): throw endsEarly(after: bytes, needed: needed)
                case .notFinite(let i, let j, let v): throw notFinite(row: i, column: j, value: v)
                }
            }
            return (rows, values, pieces)
        }
        var chunk = [UInt8](repeating: 0, count: chunkValues * size)
        var done = 0
        while done < count {
            if isCancelled() { throw DataSourceError(.cancelled, "cancelled") }
            let want = min(chunkValues, count - done) * size
            let got = try source.readFully(&chunk, 0..<want)
            guard got == want else { throw endsEarly(after: done * size + got, needed: needed) }
            let m = want / size
            let start = done
            let bad = chunk.withUnsafeBytes { raw in
                values.withUnsafeMutableBufferPointer { self.convert(raw, values: m, from: start, rows: rows, cols: cols, into: $0.baseAddress!) }
            }
            if let bad { throw notFinite(row: bad.row, column: bad.column, value: bad.value) }
            done += m
        }
        // A stream (no known length) must end where the shape says.
        if fileSize == nil {
            var probe = [UInt8](repeating: 0, count: 1)
            let extra = try source.read(&probe, 0..<1)
            if extra > 0 { throw DataSourceError("has bytes beyond the \(needed) its header's shape \(Self.describe(shape)) needs: the header does not describe the file") }
        }
        return (rows, values, 0)
    }

    /// The table and its file as the pieces use them: only `let`s of the table are read, and the
    /// file only by `read(at:into:)` (`pread`, no shared position), so that several threads may.
    private struct Shared: @unchecked Sendable {
        let table: NPYTable
        let file: FileByteSource
    }

    /// A piece's outcome: read, or the first problem in it.
    private enum PieceOutcome: Sendable {
        case read, cancelled, failed(DataSourceError), short(Int), notFinite(Int, Int, Double)
    }

    private func endsEarly(after bytes: Int, needed: Int) -> DataSourceError {
        DataSourceError("ends after \(bytes) bytes of values, but its header's shape \(Self.describe(shape)) of \(size)-byte values needs \(needed): the header does not describe the file")
    }

    private func notFinite(row: Int, column: Int, value: Double) -> DataSourceError {
        DataSourceError("row \(row), column \(column): the value is \(value): values must be finite numbers")
    }

    /// The `m` values of `raw`, elements `done ..< done + m` of the file, into the column-major
    /// matrix at `out` (rows × cols); the first value that is not finite (in the order they are
    /// converted), if any.
    private func convert(_ raw: UnsafeRawBufferPointer, values m: Int, from done: Int, rows: Int, cols: Int,
                         into out: UnsafeMutablePointer<Double>) -> (row: Int, column: Int, value: Double)? {
        let contiguous = fortranOrder || cols == 1
        // Element e of the file is (e mod rows, e / rows) in Fortran order (already
        // column-major) and (e / cols, e mod cols) in C order; (i, j) is stepped, not divided.
        var i = contiguous ? done % rows : done / cols, j = contiguous ? done / rows : done % cols
        var bad: (row: Int, column: Int, value: Double)? = nil
        @inline(__always) func store(_ v: Double) {
            if !v.isFinite && bad == nil { bad = (i, j, v) }
            out[i + j * rows] = v
            if contiguous {
                i += 1
                if i == rows { i = 0; j += 1 }
            } else {
                j += 1
                if j == cols { j = 0; i += 1 }
            }
        }
        if kind == .float && size == 8 && !bigEndian && !contiguous && m % cols == 0 && j == 0 {
            // Float64 rows: the block transposed column by column.
            let rowsHere = m / cols
            for c in 0..<cols {
                let column = out + (c * rows + i)
                for r in 0..<rowsHere {
                    let v = Double(bitPattern: raw.loadUnaligned(fromByteOffset: (r &* cols &+ c) &* 8, as: UInt64.self))
                    if !v.isFinite && bad == nil { bad = (i + r, c, v) }
                    column[r] = v
                }
            }
        } else if kind == .float && size == 8 && !bigEndian {
            for t in 0..<m { store(Double(bitPattern: raw.loadUnaligned(fromByteOffset: t &* 8, as: UInt64.self))) }
        } else {
            for t in 0..<m { store(value(raw, at: t * size)) }
        }
        return bad
    }

    @inline(__always)
    private func value(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Double {
        switch (kind, size) {
        case (.float, 8):
            let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            return Double(bitPattern: bigEndian ? bits.byteSwapped : bits)
        case (.float, _):
            let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            return Double(Float(bitPattern: bigEndian ? bits.byteSwapped : bits))
        case (.signed, 1): return Double(raw.loadUnaligned(fromByteOffset: offset, as: Int8.self))
        case (.signed, 2): let b = raw.loadUnaligned(fromByteOffset: offset, as: Int16.self); return Double(bigEndian ? b.byteSwapped : b)
        case (.signed, 4): let b = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self); return Double(bigEndian ? b.byteSwapped : b)
        case (.signed, _): let b = raw.loadUnaligned(fromByteOffset: offset, as: Int64.self); return Double(bigEndian ? b.byteSwapped : b)
        case (.unsigned, 1): return Double(raw.loadUnaligned(fromByteOffset: offset, as: UInt8.self))
        case (.unsigned, 2): let b = raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self); return Double(bigEndian ? b.byteSwapped : b)
        case (.unsigned, 4): let b = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self); return Double(bigEndian ? b.byteSwapped : b)
        case (.unsigned, _): let b = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self); return Double(bigEndian ? b.byteSwapped : b)
        }
    }
}
