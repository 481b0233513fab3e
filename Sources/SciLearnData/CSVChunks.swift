import SciLearn
import SciLearnService

/// The fast path of ``CSVTable``: an uncompressed local file, mapped into memory, cut into
/// pieces at line ends and parsed on the engine's threads, each piece into columns of its own,
/// joined in order. The values, the row and line numbers of a message and the limits are those
/// of the sequential reader; a file with a quote anywhere after its header is left to it (a
/// line end inside quotes could not be told from a record's end without reading from the
/// start).
enum CSVChunks {
    /// One piece's columns and counts, or its first failure (with piece-relative positions).
    struct Piece: Sendable {
        var columns: [[Double]]
        var rows = 0
        var lines = 0
        var failure: Failure?
        var sawQuote = false
    }

    enum Failure: Sendable {
        case notANumber(text: [UInt8], row: Int, line: Int, column: Int)
        case ragged(fields: Int, row: Int, line: Int)
        case tooManyRows
        case cancelled
    }

    /// The values of the wanted columns, or nil when the file holds a quote (the caller then
    /// reads it sequentially).
    static func parse(_ file: MappedFile, from start: Int, width: Int, slot: [Int], wanted: Int, names: [String], firstLine: Int,
                      maxRows: Int, maxCells: Int, isCancelled: @escaping @Sendable () -> Bool) throws(DataSourceError) -> (rows: Int, values: [Double])? {
        let bytes = file.base.assumingMemoryBound(to: UInt8.self)
        let end = file.count
        // Cut points just after a line end, about equal in size.
        let pieces = max(1, min(Parallelism.cores * 4, (end - start) / (1 << 22)))
        var cuts = [start]
        for k in 1..<max(pieces, 1) {
            var p = start + (end - start) * k / pieces
            if p <= cuts.last! { continue }
            while p < end && bytes[p - 1] != 0x0A { p += 1 }
            if p < end && p > cuts.last! { cuts.append(p) }
        }
        cuts.append(end)
        let points = cuts
        let results = Parallelism.map(points.count - 1, work: end - start) { (k: Int) -> Piece in
            parsePiece(file.base.assumingMemoryBound(to: UInt8.self), points[k]..<points[k + 1], width: width, slot: slot, wanted: wanted,
                       maxRows: maxRows, isCancelled: isCancelled)
        }
        if results.contains(where: \.sawQuote) { return nil }
        var rowsBefore = 0, linesBefore = 0
        for piece in results {
            if let failure = piece.failure {
                switch failure {
                case .notANumber(let text, let row, let line, let column):
                    throw text.withUnsafeBytes { CSVTable.notANumber($0, quoted: false, row: rowsBefore + row, line: firstLine + linesBefore + line, column: names[column]) }
                case .ragged(let fields, let row, let line):
                    throw CSVTable.ragged(fields: fields, row: rowsBefore + row, line: firstLine + linesBefore + line, width: width)
                case .tooManyRows:
                    throw CSVTable.tooManyRows(maxRows, columns: wanted, maxCells: maxCells)
                case .cancelled:
                    throw DataSourceError(.cancelled, "cancelled")
                }
            }
            rowsBefore += piece.rows
            linesBefore += piece.lines
            if rowsBefore > maxRows {
                throw CSVTable.tooManyRows(maxRows, columns: wanted, maxCells: maxCells)
            }
        }
        var values = [Double]()
        values.reserveCapacity(rowsBefore * wanted)
        for j in 0..<wanted {
            for piece in results { values.append(contentsOf: piece.columns[j]) }
        }
        return (rowsBefore, values)
    }

    /// The records of `range` (which starts at a record's start and ends after a line end or at
    /// the file's end).
    static func parsePiece(_ b: UnsafePointer<UInt8>, _ range: Range<Int>, width: Int, slot: [Int], wanted: Int, maxRows: Int,
                           isCancelled: @Sendable () -> Bool) -> Piece {
        var piece = Piece(columns: [[Double]](repeating: [], count: wanted))
        let estimate = (range.count / max(1, width * 8)) + 16
        for j in 0..<wanted { piece.columns[j].reserveCapacity(estimate) }
        let comma = UInt8(ascii: ","), newline: UInt8 = 0x0A, quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D
        var p = range.lowerBound
        let end = range.upperBound
        slot.withUnsafeBufferPointer { slot in
            while p < end {
                // A blank line (LF or CRLF) is skipped, as the sequential reader skips it.
                if b[p] == newline { p += 1; piece.lines += 1; continue }
                if b[p] == cr && p + 1 < end && b[p + 1] == newline { p += 2; piece.lines += 1; continue }
                var j = 0
                while true {
                    let f = p
                    while p < end {
                        let c = b[p]
                        if c == comma || c == newline { break }
                        if c == quote { piece.sawQuote = true; return }
                        p += 1
                    }
                    let last = p >= end || b[p] == newline
                    var fe = p
                    if last && fe > f && b[fe - 1] == cr { fe -= 1 }
                    if j < width, slot[j] >= 0 {
                        guard let v = DecimalParser.parse(UnsafeRawBufferPointer(start: b + f, count: fe - f)) else {
                            piece.failure = .notANumber(text: Array(UnsafeRawBufferPointer(start: b + f, count: min(fe - f, 64))),
                                                        row: piece.rows, line: piece.lines, column: j)
                            return
                        }
                        piece.columns[slot[j]].append(v)
                    }
                    j += 1
                    if last { break }
                    p += 1
                }
                if j != width {
                    piece.failure = .ragged(fields: j, row: piece.rows, line: piece.lines)
                    return
                }
                piece.rows += 1
                piece.lines += 1
                if p < end { p += 1 }
                if piece.rows > maxRows { piece.failure = .tooManyRows; return }
                if piece.rows & 0xFFFF == 0 && isCancelled() { piece.failure = .cancelled; return }
            }
        }
        return piece
    }
}
