import CDataKernels
import CKernels
import SciLearn
import SciLearnService

/// The fast path of ``CSVTable``: an uncompressed local file, mapped into memory, cut into
/// pieces at line ends and parsed on the engine's threads straight into the column-major matrix.
/// A first pass counts each piece's records (so each knows the row it starts at; a file over the
/// row limit by the count goes to the sequential reader, which refuses it at its row); the
/// second parses them, in C
/// (`scilearn_csv_plain_records`) while records are in the plain form numpy and pandas write,
/// and a piece holding anything else again by the general loop here. The values, the row and
/// line numbers of a message and the limits are those of the sequential reader; a file with a
/// quote anywhere after its header is left to it (a line end inside quotes could not be told
/// from a record's end without reading from the start).
enum CSVChunks {
    /// One piece's outcome: its records parsed, or its first failure (piece-relative positions).
    struct Piece: Sendable {
        var rows = 0
        var failure: Failure?
        var sawQuote = false
    }

    enum Failure: Sendable {
        case notANumber(text: [UInt8], row: Int, line: Int, column: Int)
        case ragged(fields: Int, row: Int, line: Int)
        case cancelled
    }

    /// Records parsed in C between two looks at the cancellation token.
    static let batch = 1 << 16

    /// The values of the wanted columns, or nil when the file holds a quote (the caller then
    /// reads it sequentially).
    static func parse(_ file: MappedFile, from start: Int, width: Int, slot: [Int], wanted: Int, names: [String], firstLine: Int,
                      maxRows: Int, maxCells: Int, isCancelled: @escaping @Sendable () -> Bool) throws(DataSourceError) -> (rows: Int, values: [Double])? {
        let bytes = file.base.assumingMemoryBound(to: UInt8.self)
        let end = file.count
        guard start <= end else { return nil }  // (the file changed under us: the sequential reader says how)
        // Cut points just after a line end, about equal in size.
        let pieces = max(1, min(Parallelism.cores * 32, (end - start) / (1 << 22)))
        var cuts = [start]
        for k in 1..<max(pieces, 1) {
            var p = start + (end - start) * k / pieces
            if p <= cuts.last! { continue }
            while p < end && bytes[p - 1] != 0x0A { p += 1 }
            // (No line end before the end: no later cut could be kept either; stop rather than
            // scan the same tail again for each.)
            if p >= end { break }
            cuts.append(p)
        }
        cuts.append(end)
        let points = cuts
        let counts = Parallelism.map(points.count - 1, work: end - start) { (k: Int) -> (records: Int, lines: Int) in
            var lines = 0
            let records = scilearn_csv_count_records(file.base.assumingMemoryBound(to: UInt8.self), points[k], points[k + 1], &lines)
            return (records, lines)
        }
        let rows = counts.reduce(0) { $0 + $1.records }
        // Over the row limit by the count: the sequential reader gives the outcome (the count
        // takes a line end inside quotes for a record's, and an earlier bad value is the message),
        // stopping one row past the limit.
        if rows > maxRows { return nil }
        var first = [0]
        for c in counts.dropLast() { first.append(first.last! + c.records) }
        let rowStarts = first
        var results = [Piece]()
        let values = [Double](unsafeUninitializedCapacity: rows * wanted) { buffer, count in
            let out = MatrixDestination(base: buffer.baseAddress)
            scilearn_advise_huge_pages(buffer.baseAddress, rows * wanted * MemoryLayout<Double>.stride)
            results = Parallelism.map(points.count - 1, work: end - start) { (k: Int) -> Piece in
                parsePiece(file.base.assumingMemoryBound(to: UInt8.self), points[k]..<points[k + 1], width: width, slot: slot,
                           out: out, rows: rows, rowStart: rowStarts[k], capacity: counts[k].records, isCancelled: isCancelled)
            }
            let complete = results.indices.allSatisfy { results[$0].failure == nil && !results[$0].sawQuote && results[$0].rows == counts[$0].records }
            count = complete ? rows * wanted : 0
        }
        if results.contains(where: \.sawQuote) { return nil }
        var rowsBefore = 0, linesBefore = 0
        for (k, piece) in results.enumerated() {
            if let failure = piece.failure {
                switch failure {
                case .notANumber(let text, let row, let line, let column):
                    throw text.withUnsafeBytes { CSVTable.notANumber($0, quoted: false, row: rowsBefore + row, line: firstLine + linesBefore + line, column: names[column]) }
                case .ragged(let fields, let row, let line):
                    throw CSVTable.ragged(fields: fields, row: rowsBefore + row, line: firstLine + linesBefore + line, width: width)
                case .cancelled:
                    throw DataSourceError(.cancelled, "cancelled")
                }
            }
            // The count and the parse see the same records; anything else is a bug of ours.
            guard piece.rows == counts[k].records else {
                throw DataSourceError("could not be read consistently (\(piece.rows) records read in a piece where \(counts[k].records) were counted)")
            }
            rowsBefore += piece.rows
            linesBefore += counts[k].lines
        }
        return (rows, values)
    }

    /// The records of `range` (which starts at a record's start and ends after a line end or at
    /// the file's end) into rows `rowStart ..< rowStart + capacity` of `out`.
    private static func parsePiece(_ b: UnsafePointer<UInt8>, _ range: Range<Int>, width: Int, slot: [Int], out: MatrixDestination, rows ld: Int,
                                   rowStart: Int, capacity: Int, isCancelled: @Sendable () -> Bool) -> Piece {
        var piece = Piece()
        var position = range.lowerBound
        let done: Bool = slot.withUnsafeBufferPointer { slot in
            while position < range.upperBound {
                var irregular: Int32 = 0
                piece.rows += scilearn_csv_plain_records(b, &position, range.upperBound, width, slot.baseAddress, out.base, ld,
                                                         rowStart + piece.rows, min(batch, capacity - piece.rows), &irregular)
                if irregular != 0 || (piece.rows == capacity && position < range.upperBound) { return false }
                if isCancelled() { piece.failure = .cancelled; return true }
            }
            return true
        }
        if done { return piece }
        // Something the plain form does not take (spaces, a long number, a blank field, a ragged
        // record, a quote): the piece again, by the general loop, for its values or its message.
        return generalPiece(b, range, width: width, slot: slot, out: out, rows: ld, rowStart: rowStart, capacity: capacity, isCancelled: isCancelled)
    }

    /// ``parsePiece`` field by field (``DecimalParser``, which allows spaces around a number and
    /// any number of digits), counting lines for messages.
    private static func generalPiece(_ b: UnsafePointer<UInt8>, _ range: Range<Int>, width: Int, slot: [Int], out: MatrixDestination, rows ld: Int,
                                     rowStart: Int, capacity: Int, isCancelled: @Sendable () -> Bool) -> Piece {
        var piece = Piece()
        var lines = 0
        let comma = UInt8(ascii: ","), newline: UInt8 = 0x0A, quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D
        var p = range.lowerBound
        let end = range.upperBound
        while p < end {
            // A blank line (LF, CRLF, or a lone CR ending the file) is skipped, as the sequential
            // reader skips it.
            if b[p] == newline { p += 1; lines += 1; continue }
            if b[p] == cr && (p + 1 == end || b[p + 1] == newline) { p = min(p + 2, end); lines += 1; continue }
            var j = 0
            while true {
                let f = p
                while p < end {
                    let c = b[p]
                    if c == comma || c == newline { break }
                    if c == quote { piece.sawQuote = true; return piece }
                    p += 1
                }
                let last = p >= end || b[p] == newline
                var fe = p
                if last && fe > f && b[fe - 1] == cr { fe -= 1 }
                if j < width, slot[j] >= 0 {
                    guard let v = DecimalParser.parse(UnsafeRawBufferPointer(start: b + f, count: fe - f)) else {
                        piece.failure = .notANumber(text: Array(UnsafeRawBufferPointer(start: b + f, count: min(fe - f, 64))),
                                                    row: piece.rows, line: lines, column: j)
                        return piece
                    }
                    // Within the count (a record here is a record there): checked, not assumed.
                    if piece.rows < capacity { out.base![slot[j] * ld + rowStart + piece.rows] = v }
                }
                j += 1
                if last { break }
                p += 1
            }
            if j != width {
                piece.failure = .ragged(fields: j, row: piece.rows, line: lines)
                return piece
            }
            piece.rows += 1
            lines += 1
            if p < end { p += 1 }
            if piece.rows & 0xFFFF == 0 && isCancelled() { piece.failure = .cancelled; return piece }
        }
        return piece
    }
}
