import CDataKernels
import CKernels
import SciLearnService

/// A numpy `.npy` file (format versions 1.0, 2.0 and 3.0): a header with the array's dtype,
/// order and shape, then the values. Opening reads the header only, so the shape is checked
/// against the limits before any value is read; ``read(columns:maxCells:isCancelled:)`` streams
/// the values into column-major doubles (a C-order array is transposed on the way).
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

    enum Kind { case float, signed, unsigned }

    init(source: ByteSource, fileSize: Int?) throws(DataSourceError) {
        self.source = source
        self.fileSize = fileSize
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

    func read(columns: [Int]?, maxCells: Int, isCancelled: @escaping @Sendable () -> Bool) throws(DataSourceError) -> (rows: Int, values: [Double]) {
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
        var chunk = [UInt8](repeating: 0, count: chunkValues * size)
        var done = 0
        while done < count {
            if isCancelled() { throw DataSourceError(.cancelled, "cancelled") }
            let want = min(chunkValues, count - done) * size
            let got = try source.readFully(&chunk, 0..<want)
            guard got == want else {
                throw DataSourceError("ends after \(done * size + got) bytes of values, but its header's shape \(Self.describe(shape)) of \(size)-byte values needs \(needed): the header does not describe the file")
            }
            let m = want / size
            let contiguous = contiguousOrder
            let bad: (Int, Int, Double)? = chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                values.withUnsafeMutableBufferPointer { (out: inout UnsafeMutableBufferPointer<Double>) in
                    // Element e of the file is (e mod rows, e / rows) in Fortran order (already
                    // column-major) and (e / cols, e mod cols) in C order; (i, j) is stepped, not divided.
                    var i = contiguous ? done % rows : done / cols, j = contiguous ? done / rows : done % cols
                    var bad: (Int, Int, Double)? = nil
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
                            let column = out.baseAddress! + (c * rows + i)
                            for r in 0..<rowsHere {
                                let v = Double(bitPattern: raw.loadUnaligned(fromByteOffset: (r &* cols &+ c) &* 8, as: UInt64.self))
                                if !v.isFinite && bad == nil { bad = (i + r, c, v) }
                                column[r] = v
                            }
                        }
                        i += rowsHere
                    } else if kind == .float && size == 8 && !bigEndian {
                        for t in 0..<m { store(Double(bitPattern: raw.loadUnaligned(fromByteOffset: t &* 8, as: UInt64.self))) }
                    } else {
                        for t in 0..<m { store(value(raw, at: t * size)) }
                    }
                    return bad
                }
            }
            if let (bi, bj, v) = bad {
                throw DataSourceError("row \(bi), column \(bj): the value is \(v): values must be finite numbers")
            }
            done += m
        }
        // A stream (no known length) must end where the shape says.
        if fileSize == nil {
            var probe = [UInt8](repeating: 0, count: 1)
            let extra = try source.read(&probe, 0..<1)
            if extra > 0 { throw DataSourceError("has bytes beyond the \(needed) its header's shape \(Self.describe(shape)) needs: the header does not describe the file") }
        }
        return (rows, values)
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
