import Foundation
@testable import SciLearnData
import SciLearnService
import Testing

/// The `.npy` reader's pieces (an uncompressed local file read at offsets, in parallel) read
/// every file as the sequential reader reads it (the same file gzipped): the same bits, and the
/// same message for the first value that is not finite, in C and Fortran order and in each
/// dtype's own conversion.
@Suite struct NPYPiecesTests {
    /// A version 1.0 `.npy` file of `payload` (the values' bytes as numpy lays them out).
    static func npy(_ descr: String, fortran: Bool, rows: Int, columns: Int, payload: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': (\(rows), \(columns)), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + payload
    }

    static func read(_ file: URL) -> Result<(Int, [UInt64]), DataSourceError> {
        do throws(DataSourceError) {
            let source = try DataReferenceSource(rootPaths: [file.deletingLastPathComponent().path])
            let table = try source.open("file://" + file.path, format: .npy)
            let (rows, values) = try table.read(columns: nil, maxCells: 100_000_000, isCancelled: { false })
            return .success((rows, values.map(\.bitPattern)))
        } catch {
            return .failure(error)
        }
    }

    /// Reads `bytes` as a local file and gzipped, and checks both readings agree; returns the
    /// local file's.
    static func agree(_ bytes: [UInt8], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Result<(Int, [UInt64]), DataSourceError> {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-npy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("x.npy"), gzipped = base.appendingPathComponent("x.npy.gz")
        try Data(bytes).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -1 -c '\(file.path)' > '\(gzipped.path)'"]
        try p.run()
        p.waitUntilExit()
        let pieces = read(file)
        expectSameReading(pieces, read(gzipped), label, sourceLocation: sourceLocation)
        return pieces
    }

    /// 40,000 × 30 doubles (9.6 MB: ten of the reader's 1 MiB chunks), C and Fortran order, and
    /// the same as float32 and int16; values known from their position.
    @Test func piecesReadAsTheSequentialReaderReads() throws {
        let (rows, columns) = (40_000, 30)
        func value(_ i: Int, _ j: Int) -> Double { Double(i * columns + j) / 8 - 70_000 }
        let want = (0..<columns).flatMap { j in (0..<rows).map { i in value(i, j).bitPattern } }
        for fortran in [false, true] {
            var f8 = [UInt8](), f4 = [UInt8](), i2 = [UInt8]()
            for e in 0..<(rows * columns) {
                let (i, j) = fortran ? (e % rows, e / rows) : (e / columns, e % columns)
                withUnsafeBytes(of: value(i, j).bitPattern.littleEndian) { f8 += $0 }
                withUnsafeBytes(of: Float(value(i, j)).bitPattern.littleEndian) { f4 += $0 }
                withUnsafeBytes(of: Int16(truncatingIfNeeded: i - j).littleEndian) { i2 += $0 }
            }
            let order = fortran ? "Fortran" : "C"
            if case .success(let (n, bits)) = try Self.agree(Self.npy("<f8", fortran: fortran, rows: rows, columns: columns, payload: f8), "float64, \(order)") {
                #expect(n == rows && bits == want, "float64, \(order) order: \(zip(bits, want).filter { $0 != $1 }.count) values wrong")
            } else {
                Issue.record("float64, \(order) order must read")
            }
            try Self.agree(Self.npy("<f4", fortran: fortran, rows: rows, columns: columns, payload: f4), "float32, \(order)")
            if case .success(let (_, bits)) = try Self.agree(Self.npy("<i2", fortran: fortran, rows: rows, columns: columns, payload: i2), "int16, \(order)") {
                #expect(Double(bitPattern: bits[39_999 + 29 * rows]) == Double(Int16(truncatingIfNeeded: 39_999 - 29)))
            }
            // Values that are not finite in two chunks: the message names the first the
            // sequential reader meets. In C order row 20,000's chunk comes before row 31,000's,
            // and a chunk is converted column by column (column 3 before 29); in Fortran order
            // (31,000, 2) is the 111,000th value, in the first chunk.
            var bad = f8
            for (i, j, v) in [(31_000, 2, Double.infinity), (20_000, 29, Double.nan), (20_000, 3, -Double.infinity)] {
                let e = fortran ? i + j * rows : i * columns + j
                withUnsafeBytes(of: v.bitPattern.littleEndian) { bad.replaceSubrange(e * 8..<(e * 8 + 8), with: $0) }
            }
            guard case .failure(let error) = try Self.agree(Self.npy("<f8", fortran: fortran, rows: rows, columns: columns, payload: bad), "not finite, \(order)") else {
                Issue.record("values that are not finite must be refused (\(order) order)")
                continue
            }
            #expect(error.message.contains(fortran ? "row 31000, column 2: the value is inf" : "row 20000, column 3: the value is -inf"), "\(order) order: \(error.message)")
        }
    }
}
