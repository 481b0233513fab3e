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

    /// The reading of `file`, and how many pieces were read in parallel (0: sequentially).
    static func read(_ file: URL) -> (Result<(Int, [UInt64]), DataSourceError>, pieces: Int) {
        var pieces = 0
        do throws(DataSourceError) {
            let source = try DataReferenceSource(rootPaths: [file.deletingLastPathComponent().path])
            guard let table = try source.open("file://" + file.path, format: .npy) as? NPYTable else {
                return (.failure(DataSourceError("not an NPYTable")), 0)
            }
            let read = try table.readCountingPieces(maxCells: 100_000_000, isCancelled: { false })
            pieces = read.pieces
            return (.success((read.rows, read.values.map(\.bitPattern))), pieces)
        } catch {
            return (.failure(error), pieces)
        }
    }

    /// Reads `bytes` as a local file (in `pieces` pieces, checked when the read succeeds) and
    /// gzipped (sequentially), and checks both readings agree; returns the local file's.
    @discardableResult
    static func agree(_ bytes: [UInt8], _ label: String, pieces: Int,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Result<(Int, [UInt64]), DataSourceError> {
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
        #expect(p.terminationStatus == 0, "gzip", sourceLocation: sourceLocation)
        let (local, used) = read(file), (compressed, sequential) = read(gzipped)
        if case .success = local {
            #expect(used == pieces && sequential == 0, "\(label): \(used) pieces read (\(pieces) wanted), \(sequential) for the gzipped file",
                    sourceLocation: sourceLocation)
        }
        expectSameReading(local, compressed, label, sourceLocation: sourceLocation)
        return local
    }

    /// 20,000 × 30 doubles (4.8 MB: five of the reader's 1 MiB chunks, two pieces of up to four
    /// chunks), C and Fortran order, and the same as float32 and int16 (three and two chunks, one
    /// piece); values known from their position.
    @Test func piecesReadAsTheSequentialReaderReads() throws {
        let (rows, columns) = (20_000, 30)
        func value(_ i: Int, _ j: Int) -> Double { Double(i * columns + j) / 8 - 70_000 }
        let want = (0..<columns).flatMap { j in (0..<rows).map { i in value(i, j).bitPattern } }
        for fortran in [false, true] {
            // (The values in file order, then their bytes at once: a byte at a time is seconds
            // of a debug build's time, which the tests running beside this one feel.)
            let doubles = (0..<(rows * columns)).map { e in fortran ? value(e % rows, e / rows) : value(e / columns, e % columns) }
            let integers = (0..<(rows * columns)).map { e in fortran ? Int16(truncatingIfNeeded: e % rows - e / rows) : Int16(truncatingIfNeeded: e / columns - e % columns) }
            let f8 = doubles.withUnsafeBytes { Array($0) }, f4 = doubles.map(Float.init).withUnsafeBytes { Array($0) }
            let i2 = integers.withUnsafeBytes { Array($0) }
            let order = fortran ? "Fortran" : "C"
            if case .success(let (n, bits)) = try Self.agree(Self.npy("<f8", fortran: fortran, rows: rows, columns: columns, payload: f8), "float64, \(order)", pieces: 2) {
                #expect(n == rows && bits == want, "float64, \(order) order: \(zip(bits, want).filter { $0 != $1 }.count) values wrong")
            } else {
                Issue.record("float64, \(order) order must read")
            }
            try Self.agree(Self.npy("<f4", fortran: fortran, rows: rows, columns: columns, payload: f4), "float32, \(order)", pieces: 1)
            if case .success(let (_, bits)) = try Self.agree(Self.npy("<i2", fortran: fortran, rows: rows, columns: columns, payload: i2), "int16, \(order)", pieces: 1) {
                #expect(Double(bitPattern: bits[19_999 + 29 * rows]) == Double(19_999 - 29))
            }
            // Values that are not finite in two chunks and two pieces: the message names the first
            // the sequential reader meets. In C order (4,369 rows a chunk) rows 14,000 and 15,000
            // are in the fourth chunk (the first piece), row 19,000 in the fifth (the second),
            // and a chunk is converted column by column (column 3 before 29); in Fortran order
            // (19,000, 2) is element 59,000, (15,000, 3) element 75,000, both in the first
            // chunk, and (14,000, 29) element 594,000, in the fifth.
            var bad = f8
            for (i, j, v) in [(19_000, 2, Double.infinity), (14_000, 29, Double.nan), (15_000, 3, -Double.infinity)] {
                let e = fortran ? i + j * rows : i * columns + j
                withUnsafeBytes(of: v.bitPattern.littleEndian) { bad.replaceSubrange(e * 8..<(e * 8 + 8), with: $0) }
            }
            guard case .failure(let error) = try Self.agree(Self.npy("<f8", fortran: fortran, rows: rows, columns: columns, payload: bad), "not finite, \(order)", pieces: 2) else {
                Issue.record("values that are not finite must be refused (\(order) order)")
                continue
            }
            #expect(error.message.contains(fortran ? "row 19000, column 2: the value is inf" : "row 15000, column 3: the value is -inf"), "\(order) order: \(error.message)")
        }
    }
}
