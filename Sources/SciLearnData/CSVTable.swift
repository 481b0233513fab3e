import CDataKernels
import SciLearnService

/// A CSV file with a header row (RFC 4180: fields separated by commas, optionally quoted with
/// `"`, a quote inside a quoted field doubled; records end with LF or CRLF; a UTF-8 byte-order
/// mark, a missing final newline and blank lines are accepted, as pandas accepts them).
///
/// Opening reads the header only. ``read(columns:maxCells:isCancelled:)`` then streams the rest
/// once, in chunks, parsing each wanted field straight into its column; other fields are
/// skipped unparsed. A missing value (an empty field, `NA`, `nan`), a non-number or a row of
/// another length than the header is an error naming the row, the column and the text found.
///
/// - Complexity: one pass over the bytes; memory for the wanted columns and one chunk.
final class CSVTable: DataTable {
    private(set) var header: DataTableHeader
    private var names: [String]
    private let source: ByteSource
    /// The local file behind `source`, when it can be mapped and parsed in parallel.
    private let file: FileByteSource?
    private var buffer: [UInt8]
    /// Unconsumed bytes are buffer[position..<filled].
    private var position = 0, filled = 0
    private var atEnd = false
    /// The 1-based line the next record starts on (for messages).
    private var line = 1
    /// How far the current record has been scanned for its end, and the scanner's state there
    /// (kept across refills, so a long record is scanned once).
    private var scanned = 0
    private var scan = Scan.fieldStart
    /// Bytes read from the source so far, and the most the job may read (``read``'s budget).
    private var bytesRead = 0
    private var maxBytes = Int.max
    private var isCancelled: @Sendable () -> Bool = { false }

    /// Where the record-end scanner is: a quote opens a quoted field only at a field's start
    /// (RFC 4180; `O"Brien` is literal text, as pandas and Python's csv read it).
    enum Scan { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The widest header read: 100,000 columns.
    static let widestHeader = 100_000
    /// Bytes a CSV may hold per cell of the limit (a wide file whose other columns are not
    /// wanted still costs its bytes to scan).
    static let bytesPerCell = 100

    static let chunk = 1 << 22
    /// The longest record (line) read: 64 MiB.
    static let longestRecord = 1 << 26

    init(source: ByteSource, file: FileByteSource? = nil) throws(DataSourceError) {
        self.source = source
        self.file = file
        buffer = [UInt8](repeating: 0, count: Self.chunk)
        names = []
        header = .columns([])
        // A UTF-8 byte-order mark is dropped before the first record is parsed.
        while filled < 3 && !atEnd { try refill() }
        if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3; scanned = 3 }
        var fields: [String] = []
        var seen: [String: Int] = [:]
        var duplicate: (String, Int, Int)? = nil
        var found = false
        repeat {
            found = try nextRecord { field, _ in
                let name = String(decoding: field, as: UTF8.self)
                if duplicate == nil, let first = seen[name] { duplicate = (name, first, fields.count) }
                seen[name] = seen[name] ?? fields.count
                fields.append(name)
                return fields.count <= Self.widestHeader
            }
        } while found && lastRecordWasBlank
        guard found else { throw DataSourceError("is empty: a CSV reference needs a header row naming its columns") }
        guard fields.count <= Self.widestHeader else {
            throw DataSourceError("its header has more than \(Self.widestHeader) columns")
        }
        if let (name, first, second) = duplicate {
            throw DataSourceError("its header names column \"\(name)\" twice (columns \(first + 1) and \(second + 1))")
        }
        names = fields
        header = .columns(fields)
    }

    func read(columns: [Int]?, maxCells: Int, isCancelled: @escaping @Sendable () -> Bool) throws(DataSourceError) -> (rows: Int, values: [Double]) {
        let wanted = columns ?? Array(names.indices)
        // Each column once (the service names a repeated one as the field's error first): a
        // repeat would leave a column of the matrix unwritten.
        var seen = Set<Int>()
        for j in wanted where !seen.insert(j).inserted {
            throw DataSourceError("column \"\(names.indices.contains(j) ? names[j] : String(j))\" is asked for twice")
        }
        var slot = [Int](repeating: -1, count: names.count)
        for (k, j) in wanted.enumerated() { slot[j] = k }
        var out = [[Double]](repeating: [], count: wanted.count)
        var rows = 0
        let width = names.count
        let maxRows = wanted.isEmpty ? Int.max : maxCells / wanted.count
        let (budget, overflow) = maxCells.multipliedReportingOverflow(by: Self.bytesPerCell)
        maxBytes = overflow ? Int.max : max(budget, 64 << 20)
        self.isCancelled = isCancelled
        if let file, let mapped = file.mapped() {
            // Bytes the header took: what was read less what is still buffered.
            let start = bytesRead - (filled - position)
            if mapped.count > maxBytes {
                throw DataSourceError(.tooLarge, "is larger than \(maxBytes) bytes (\(Self.bytesPerCell) bytes a cell of the limit; refused before it was read)")
            }
            if let parsed = try CSVChunks.parse(mapped, from: start, width: width, slot: slot, wanted: wanted.count, names: names,
                                                firstLine: line, maxRows: maxRows, maxCells: maxCells, isCancelled: isCancelled) {
                return parsed
            }
            // A quote somewhere: the sequential reader below handles quoting.
        }
        while true {
            // Whole records in the buffer go to the C parser a buffer at a time (the plain form
            // numpy and pandas write); a record it does not take is read below, one record.
            if plainSkip > 0 {
                plainSkip -= 1
            } else if scan == .fieldStart && scanned == position, try plainRecords(width: width, slot: slot, into: &out, rows: &rows, maxRows: maxRows) {
                continue
            }
            let recordLine = line
            var j = 0
            var failure: DataSourceError? = nil
            let found = try nextRecord { field, quoted in
                if j < width, slot[j] >= 0 {
                    guard let v = DecimalParser.parse(field) else {
                        failure = Self.notANumber(field, quoted: quoted, row: rows, line: recordLine, column: names[j])
                        return false
                    }
                    out[slot[j]].append(v)
                }
                j += 1
                return true
            }
            if let failure { throw failure }
            guard found else { break }
            if lastRecordWasBlank { continue }
            guard j == width else {
                throw Self.ragged(fields: j, row: rows, line: recordLine, width: width)
            }
            rows += 1
            if rows > maxRows {
                throw Self.tooManyRows(maxRows, columns: wanted.count, maxCells: maxCells)
            }
            if rows & 0xFFFF == 0 && isCancelled() { throw DataSourceError(.cancelled, "cancelled") }
        }
        var values = [Double]()
        values.reserveCapacity(rows * wanted.count)
        for column in out { values.append(contentsOf: column) }
        return (rows, values)
    }

    /// Records the record-by-record loop reads before ``plainRecords`` is tried again, and the
    /// next such wait: doubled each time the C parser takes nothing (a file with quotes, or only
    /// empty lines ahead), back to one when it takes records, so that a file it cannot take costs
    /// a logarithmic number of tries, not one scan of the buffer a record.
    private var plainSkip = 0, plainBackoff = 1

    /// Parses the whole records buffered after `position` with `scilearn_csv_plain_records`
    /// into a block, appended to `out` (rows, lines and position advanced as the record-by-record
    /// loop would; refills when it has taken every whole record), up to the row limit. Returns
    /// false when the next record is for that loop: not in the plain form, the file's last line
    /// without its line end, or past the row limit (which the loop refuses at its row).
    private func plainRecords(width: Int, slot: [Int], into out: inout [[Double]], rows: inout Int, maxRows: Int) throws(DataSourceError) -> Bool {
        let taken = try plainBlock(width: width, slot: slot, into: &out, rows: &rows, maxRows: maxRows)
        if taken {
            plainBackoff = 1
        } else {
            plainSkip = plainBackoff
            plainBackoff = min(2 * plainBackoff, 1 << 16)
        }
        return taken
    }

    /// ``plainRecords``'s one try.
    private func plainBlock(width: Int, slot: [Int], into out: inout [[Double]], rows: inout Int, maxRows: Int) throws(DataSourceError) -> Bool {
        let lastEnd: Int? = buffer.withUnsafeBytes { raw in
            var k = filled
            while k > position { k -= 1; if raw[k] == 0x0A { return k } }
            return nil
        }
        guard let lastEnd else {
            if atEnd { return false }
            try refill()
            return true
        }
        let spanEnd = lastEnd + 1
        let records = buffer.withUnsafeBytes { raw in
            var lines = 0
            return scilearn_csv_count_records(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), position, spanEnd, &lines)
        }
        // Up to the row limit: the loop refuses the record past it, at its row.
        let limit = min(records, maxRows - rows)
        guard limit > 0 else { return false }
        let wanted = out.count
        var block = [Double](repeating: 0, count: records * max(wanted, 1))
        var next = position, irregular: Int32 = 0
        let got = buffer.withUnsafeBytes { raw in
            slot.withUnsafeBufferPointer { slot in
                block.withUnsafeMutableBufferPointer { block in
                    scilearn_csv_plain_records(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), &next, spanEnd, width, slot.baseAddress,
                                               block.baseAddress, records, 0, limit, &irregular)
                }
            }
        }
        for j in 0..<wanted { out[j].append(contentsOf: block[(j * records)..<(j * records + got)]) }
        rows += got
        let consumedLines: Int = buffer.withUnsafeBytes { raw in
            var lines = 0
            _ = scilearn_csv_count_records(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), position, next, &lines)
            return lines
        }
        line += consumedLines
        position = next
        scanned = next
        if isCancelled() { throw DataSourceError(.cancelled, "cancelled") }
        if irregular != 0 || got == limit && limit < records { return got > 0 }
        if position == filled && !atEnd { try refill() }
        return got > 0 || !atEnd
    }

    /// Whether the record just read was an empty line (one empty, unquoted field).
    private var lastRecordWasBlank = false

    /// A record with another number of fields than the header (both readers' message).
    static func ragged(fields: Int, row: Int, line: Int, width: Int) -> DataSourceError {
        DataSourceError("row \(row) (line \(line)) has \(fields) field\(fields == 1 ? "" : "s"); the header has \(width)")
    }

    /// Rows past the cell limit (both readers' message).
    static func tooManyRows(_ maxRows: Int, columns: Int, maxCells: Int) -> DataSourceError {
        DataSourceError(.tooLarge, "more than \(maxRows) rows × \(columns) columns: past the limit of \(maxCells) values (refused before the rest was read)")
    }

    static func notANumber(_ field: UnsafeRawBufferPointer, quoted: Bool, row: Int, line: Int, column: String) -> DataSourceError {
        let text = String(decoding: field.prefix(40), as: UTF8.self) + (field.count > 40 ? "…" : "")
        let trimmed = String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
        let what: String
        if trimmed.isEmpty {
            what = "is empty (a missing value; impute first)"
        } else if ["na", "nan", "n/a", "null", "none", "-nan", "#n/a"].contains(trimmed.lowercased()) {
            what = "is \(trimmed) (a missing value; impute first)"
        } else if ["inf", "-inf", "+inf", "infinity", "-infinity"].contains(trimmed.lowercased()) {
            what = "is \(trimmed): values must be finite numbers"
        } else {
            what = "is \"\(text)\", not a number"
        }
        return DataSourceError("row \(row) (line \(line)), column \"\(column)\": the value \(what)")
    }

    /// Reads the next record, calling `field` with each field's bytes (quotes removed, doubled
    /// quotes undone) and whether it was quoted; `field` returns false to stop the record early
    /// (the rest of it is still consumed). Returns false at the end of the input.
    private func nextRecord(_ field: (UnsafeRawBufferPointer, Bool) -> Bool) throws(DataSourceError) -> Bool {
        // Make sure the buffer holds a whole record: scan for its end (outside quotes).
        var end: Int
        while true {
            if let e = recordEnd() { end = e; break }
            if atEnd {
                if position == filled { return false }
                end = filled
                break
            }
            try refill()
        }
        let recordStart = position
        var next = end < filled ? end + 1 : end   // past the LF
        if end == filled { next = filled }
        var contentEnd = end
        if contentEnd > recordStart && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        lastRecordWasBlank = contentEnd == recordStart
        var newlines = 1
        let failure: DataSourceError? = lastRecordWasBlank ? nil : buffer.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) -> DataSourceError? in
            var k = recordStart
            var keepGoing = true
            while true {
                if k < contentEnd && raw[k] == UInt8(ascii: "\"") {
                    // Quoted: unescape in place, then hand over the unescaped bytes.
                    var write = k, read = k + 1
                    var closed = false
                    while read < contentEnd {
                        let c = raw[read]
                        if c == UInt8(ascii: "\"") {
                            if read + 1 < contentEnd && raw[read + 1] == UInt8(ascii: "\"") { raw[write] = c; write += 1; read += 2; continue }
                            closed = true
                            read += 1
                            break
                        }
                        if c == 0x0A { newlines += 1 }
                        raw[write] = c
                        write += 1
                        read += 1
                    }
                    guard closed else { return DataSourceError("line \(line): a quoted field is not closed") }
                    guard read == contentEnd || raw[read] == UInt8(ascii: ",") else {
                        return DataSourceError("line \(line): text after a quoted field's closing quote")
                    }
                    if keepGoing { keepGoing = field(UnsafeRawBufferPointer(rebasing: raw[k..<write]), true) }
                    if read == contentEnd { break }
                    k = read + 1
                } else {
                    var e = k
                    while e < contentEnd && raw[e] != UInt8(ascii: ",") { e += 1 }
                    if keepGoing { keepGoing = field(UnsafeRawBufferPointer(rebasing: raw[k..<e]), false) }
                    if e == contentEnd { break }
                    k = e + 1
                }
            }
            return nil
        }
        if let failure { throw failure }
        line += newlines
        position = next
        scanned = next
        scan = .fieldStart
        return true
    }

    /// The index of the LF that ends the current record (quotes respected), or nil when the
    /// buffer does not hold it yet; scanning resumes where it stopped.
    private func recordEnd() -> Int? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline: UInt8 = 0x0A
        var state = scan
        var k = scanned
        let found: Int? = buffer.withUnsafeBytes { raw in
            while k < filled {
                let c = raw[k]
                switch state {
                case .fieldStart:
                    if c == quote { state = .quoted } else if c == newline { return k } else if c != comma { state = .unquoted }
                case .unquoted:
                    if c == comma { state = .fieldStart } else if c == newline { return k }
                case .quoted:
                    if c == quote { state = .quoteInQuoted }
                case .quoteInQuoted:
                    if c == quote { state = .quoted } else if c == comma { state = .fieldStart } else if c == newline { return k } else { state = .unquoted }
                }
                k += 1
            }
            return nil
        }
        scanned = k
        scan = state
        return found
    }

    /// Moves the unconsumed bytes to the front and reads more (growing the buffer when one
    /// record fills it).
    private func refill() throws(DataSourceError) {
        if isCancelled() { throw DataSourceError(.cancelled, "cancelled") }
        if position > 0 {
            let count = filled - position
            buffer.withUnsafeMutableBytes { raw in
                if count > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + position, byteCount: count) }
            }
            filled = count
            scanned -= position
            position = 0
        }
        if filled == buffer.count {
            // One record fills the buffer: grow it, up to a bound (a file without line ends must
            // not make the process allocate without limit).
            guard buffer.count < Self.longestRecord else {
                throw DataSourceError("line \(line) is longer than \(Self.longestRecord >> 20) MiB (is it a CSV file with line ends?)")
            }
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        let n = try source.read(&buffer, filled..<buffer.count)
        if n == 0 { atEnd = true }
        filled += n
        bytesRead += n
        if bytesRead > maxBytes {
            throw DataSourceError(.tooLarge, "is larger than \(maxBytes) bytes (\(Self.bytesPerCell) bytes a cell of the limit; refused before the rest was read)")
        }
    }
}
