import CDataKernels
#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import SciLearnData
import SciLearnService
import Testing

/// The CSV fast path (records counted first, then parsed in C straight into the matrix while
/// they are in the plain form, the general loop taking any piece that is not) reads every file
/// as the sequential reader does, at both code paths of the C kernels: the same values to the
/// bit, the same rows, and the same message for a bad file.
extension CDataKernelPaths {
@Suite struct PlainCSVTests {
    typealias Generator = CDataKernelPaths.DecimalParserTests.Generator

    /// A number in one of the forms files hold: numpy's 17 digits, Swift's shortest, integers,
    /// signs, points at either end, exponents, leading zeros, more than 19 digits, the extremes.
    static func number(_ g: inout Generator) -> String {
        let d = Double(bitPattern: g.next() & ~(0x7FF << 52) | ((1023 - 40 + g.below(80)) << 52))
        switch g.below(16) {
        case 0, 1, 2, 3, 4, 5: return String(format: "%.17g", d)
        case 6: return "\(d)"
        case 7: return String(Int64(bitPattern: g.next()) >> Int64(g.below(63)))
        case 8: return ["-0", "+1.5", ".5", "5.", "-.25", "+0.0", "00012.500", "1E5", "1e-5", "2.5E+03"][Int(g.below(10))]
        case 9: return "0.0000000000000000000000" + String(g.next() % 1_000_000_000_000)
        case 10: return String(g.next()) + String(g.next())   // 30-40 digits: strtod's
        case 11: return String(g.next()) + "." + String(g.next()) + "e-" + String(g.below(300))
        case 12: return ["1.7976931348623157e308", "4.9406564584124654e-324", "2.2250738585072014e-308", "9007199254740993"][Int(g.below(4))]
        case 13: return String(format: "%.6f", d)
        case 14: return String(format: "%.17e", d)
        default: return String(format: "%.3g", d)
        }
    }

    /// A file of `rows` records of five fields (the fifth, not read, sometimes text), LF or CRLF
    /// line ends, some empty lines, and a last line with or without its line end.
    static func text(rows: Int, seed: UInt64, finalNewline: Bool = true) -> String {
        var g = Generator(state: seed)
        var lines = ["a,b,c,d,note"]
        for i in 0..<rows {
            var fields = (0..<4).map { _ in number(&g) }
            fields.append(g.below(5) == 0 ? "text \(i)" : number(&g))
            lines.append(fields.joined(separator: ","))
            if g.below(997) == 0 { lines.append("") }
        }
        var out = ""
        for (k, line) in lines.enumerated() {
            out += line
            if k + 1 < lines.count || finalNewline { out += k % 3 == 1 ? "\r\n" : "\n" }
        }
        return out
    }

    /// The values (as bits) or the message of reading `columns` (a, b, c and d) of `file`.
    static func read(_ file: URL, columns: [Int] = [0, 1, 2, 3], maxCells: Int = 10_000_000) -> Result<(Int, [UInt64]), DataSourceError> {
        do throws(DataSourceError) {
            let source = try DataReferenceSource(rootPaths: [file.deletingLastPathComponent().path])
            let table = try source.open("file://" + file.path, format: .csv)
            let (rows, values) = try table.read(columns: columns, maxCells: maxCells, isCancelled: { false })
            return .success((rows, values.map(\.bitPattern)))
        } catch {
            return .failure(error)
        }
    }

    /// Columns a-d of a file in the plain form by the simplest reading there is (lines, empty
    /// ones and lone CRs dropped, fields split at commas, each through glibc's `strtod`): the
    /// reference both readers are held to, since both now run the C parser.
    static func reference(_ text: String, columns wanted: [Int] = [0, 1, 2, 3]) -> (Int, [UInt64]) {
        var columns = [[UInt64]](repeating: [], count: wanted.count)
        for raw in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).dropFirst() {
            var line = Array(raw)
            if line.last == 0x0D { line.removeLast() }
            if line.isEmpty { continue }
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            for (k, j) in wanted.enumerated() { columns[k].append(strtod(String(decoding: fields[j], as: UTF8.self), nil).bitPattern) }
        }
        return (columns[0].count, columns.flatMap { $0 })
    }

    /// `x` (in [2^-10, 2^59)) to 19 significant digits in positional form, with 0 to 22 after
    /// the point, the last digit moved by `nudge` (x · 10^k is formed in Float80, within an
    /// ulp of 2^-64: these are numbers near x, not its exact digits).
    static func nineteenDigits(_ x: Float80, nudge: Int) -> String {
        var k = 18 - Int((log10(Double(x))).rounded(.down))
        var w = UInt64(x * Self.powerOfTen(k)) &+ UInt64(bitPattern: Int64(nudge))
        if w >= 10_000_000_000_000_000_000 { k -= 1; w = UInt64(x * Self.powerOfTen(k)) }
        precondition((0...22).contains(k) && w >= 1_000_000_000_000_000_000 && w < 10_000_000_000_000_000_000)
        let digits = String(w)
        if k == 0 { return digits }
        if k >= 19 { return "0." + String(repeating: "0", count: k - 19) + digits }
        return String(digits.prefix(19 - k)) + "." + String(digits.suffix(k))
    }

    static func powerOfTen(_ k: Int) -> Float80 { (0..<k).reduce(Float80(1)) { p, _ in p * 10 } }

    /// Whether the C parser takes every record of `text` (after its header) in the plain form,
    /// at the current kernel level: otherwise the general loop reads the piece.
    static func isPlain(_ text: String, slot: [Int] = [0, 1, 2, 3, -1]) -> Bool {
        let bytes = Array(text.utf8)
        guard let header = bytes.firstIndex(of: 0x0A) else { return true }
        var lines = 0
        let records = bytes.withUnsafeBufferPointer { scilearn_csv_count_records($0.baseAddress, header + 1, bytes.count, &lines) }
        var out = [Double](repeating: 0, count: max(1, records * slot.count))
        var position = header + 1, irregular: Int32 = 0
        let parsed = bytes.withUnsafeBufferPointer { b in
            scilearn_csv_plain_records(b.baseAddress, &position, bytes.count, slot.count, slot, &out, records, 0, records, &irregular)
        }
        // Empty lines after the last record: a call with no records left takes them.
        if irregular == 0 && position < bytes.count {
            _ = bytes.withUnsafeBufferPointer { b in
                scilearn_csv_plain_records(b.baseAddress, &position, bytes.count, slot.count, slot, &out, records, records, 0, &irregular)
            }
        }
        return irregular == 0 && parsed == records && position == bytes.count
    }

    /// Reads `text` through the mapped path at both kernel levels and through the sequential
    /// reader (the same text gzipped), and checks they agree and that the C parser took the
    /// records in the plain form or left them to the general loop as `plain` says; returns the
    /// sequential reading.
    @discardableResult
    static func agree(_ text: String, _ label: String, plain: Bool, columns: [Int] = [0, 1, 2, 3], slot: [Int] = [0, 1, 2, 3, -1],
                      maxCells: Int = 10_000_000, sourceLocation: SourceLocation = #_sourceLocation) throws -> Result<(Int, [UInt64]), DataSourceError> {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-plain-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("t.csv"), gzipped = base.appendingPathComponent("t.csv.gz")
        try Data(text.utf8).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(file.path)' > '\(gzipped.path)'"]
        try p.run()
        p.waitUntilExit()
        let sequential = read(gzipped, columns: columns, maxCells: maxCells)
        defer { _ = scilearn_data_set_level(1) }
        for level in [0, 1] {
            let used = scilearn_data_set_level(Int32(level))
            #expect(isPlain(text, slot: slot) == plain, "\(label), level \(used): the C parser \(plain ? "must" : "must not") take every record", sourceLocation: sourceLocation)
            expectSameReading(read(file, columns: columns, maxCells: maxCells), sequential, "\(label), level \(used)", sourceLocation: sourceLocation)
        }
        return sequential
    }

    @Test func plainFilesReadAsTheSequentialReaderReadsThem() throws {
        // 60,000 records: several of the C parser's 16 KiB windows and two of its 65,536-record
        // calls' worth of fields, every number form, CRLF and LF, empty lines.
        let full = Self.text(rows: 60_000, seed: 0x1234_5678_9ABC_DEF1)
        for (text, label) in [(full, "mixed forms"), (Self.text(rows: 3_000, seed: 7, finalNewline: false), "no final line end"),
                              (Self.text(rows: 3_000, seed: 8) + "\n\r\n\n", "empty lines at the end")] {
            let result = try Self.agree(text, label, plain: true)
            let want = Self.reference(text)
            if case .success(let (rows, bits)) = result {
                #expect(rows == want.0 && bits == want.1, "\(label): \(zip(bits, want.1).filter { $0 != $1 }.count) values differ from strtod's")
            } else {
                Issue.record("\(label) must read: \(result)")
            }
        }
        #expect(Self.reference(full).0 == 60_000)
        // The last field read too (its CR not part of the number), and a file wider than the
        // parser's whole-record path takes (130 columns read: field by field).
        var g = Generator(state: 99)
        var lastRead = "a,b,c,d\n"
        for k in 0..<20_000 {
            let fields: [String] = (0..<4).map { _ in String(format: "%.17g", Double(g.below(1 << 40)) / 1e9 - 500) }
            lastRead += fields.joined(separator: ",") + (k % 2 == 0 ? "\r\n" : "\n")
        }
        let lastReadResult = try Self.agree(lastRead, "the last field read, CRLF and LF", plain: true, slot: [0, 1, 2, 3])
        #expect(Self.reference(lastRead).0 == 20_000)
        if case .success(let (rows, bits)) = lastReadResult {
            let want = Self.reference(lastRead)
            #expect(rows == want.0 && bits == want.1, "the last field read: \(zip(bits, want.1).filter { $0 != $1 }.count) values differ from strtod's")
        } else {
            Issue.record("the last field read must read: \(lastReadResult)")
        }
        // Other choices of columns: one run not starting at the first field, with and without
        // the last (CRLF) field; columns out of order; fields apart.
        for columns in [[1, 2, 3], [1, 2], [3, 1], [2, 0], [0, 2, 3]] {
            var slot = [-1, -1, -1, -1]
            for (k, j) in columns.enumerated() { slot[j] = k }
            let label = "columns \(columns)"
            let result = try Self.agree(lastRead, label, plain: true, columns: columns, slot: slot)
            let want = Self.reference(lastRead, columns: columns)
            if case .success(let (rows, bits)) = result {
                #expect(rows == want.0 && bits == want.1, "\(label): \(zip(bits, want.1).filter { $0 != $1 }.count) values differ from strtod's")
            } else {
                Issue.record("\(label) must read: \(result)")
            }
        }
        // Numbers within about a thousandth of an ulp of halfway between two doubles (19 digits
        // of the midpoint, formed exactly in Float80's 64-bit significand, and their neighbours),
        // where the four-at-a-time conversion must hand the close ones to Eisel-Lemire.
        var nearHalfway = "a,b,c,d\n"
        for _ in 0..<20_000 {
            let fields: [String] = (0..<4).map { _ in
                let d = Double(bitPattern: g.next() & ~(0xFFF << 52) | ((1023 - 10 + g.below(69)) << 52))  // (positive)
                return Self.nineteenDigits(Float80(d) + Float80(d.ulp) / 2, nudge: Int(g.below(3)) - 1)
            }
            nearHalfway += fields.joined(separator: ",") + "\n"
        }
        let halfway = try Self.agree(nearHalfway, "near halfway between doubles", plain: true, slot: [0, 1, 2, 3])
        if case .success(let (rows, bits)) = halfway {
            let want = Self.reference(nearHalfway)
            #expect(rows == 20_000 && bits == want.1, "near halfway: \(zip(bits, want.1).filter { $0 != $1 }.count) values differ from strtod's")
        } else {
            Issue.record("near halfway must read: \(halfway)")
        }
        let names = (0..<131).map { "c\($0)" }
        var wide = names.joined(separator: ",") + "\n"
        for r in 0..<500 {
            let fields: [String] = (0..<131).map { j in String(r * 131 + j) + ".25" }
            wide += fields.joined(separator: ",") + "\r\n"
        }
        let read = try Self.agree(wide, "130 columns read", plain: true, columns: Array(0..<130), slot: Array(0..<130) + [-1])
        if case .success(let (rows, bits)) = read {
            #expect(rows == 500 && bits.count == 500 * 130 && Double(bitPattern: bits[499 + 500 * 129]) == Double(499 * 131 + 129) + 0.25)
        } else {
            Issue.record("130 columns must read: \(read)")
        }
        // Records longer than the parser's 16 KiB window (1,200 fields of about 20 bytes), three
        // columns of them read: no window holds a whole record, so none is taken whole.
        let long = (0..<1_200).map { "c\($0)" }.joined(separator: ",") + "\n" + (0..<40).map { r in
            (0..<1_200).map { j in String(format: "%.17g", Double(r * 1_200 + j) / 7) }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        var longSlot = [Int](repeating: -1, count: 1_200)
        (longSlot[5], longSlot[700], longSlot[1_199]) = (0, 1, 2)
        let longRead = try Self.agree(long, "records longer than a window", plain: true, columns: [5, 700, 1_199], slot: longSlot)
        if case .success(let (rows, bits)) = longRead {
            let want = (0..<3).flatMap { k in (0..<40).map { r in (Double(r * 1_200 + [5, 700, 1_199][k]) / 7).bitPattern } }
            #expect(rows == 40 && bits == want, "records longer than a window: \(zip(bits, want).filter { $0 != $1 }.count) values differ")
        } else {
            Issue.record("records longer than a window must read: \(longRead)")
        }
        try Self.agree("a,b,c,d,note\n", "a header alone", plain: true)
        try Self.agree("a,b,c,d,note\n1,2,3,4,5", "one record without its line end", plain: true)
        try Self.agree("a,b,c,d,note\n\n\n1,2,3,4,x\n", "empty lines first", plain: true)
        try Self.agree("a,b,c,d,note\n1,2,3,4,5\n\r", "a lone CR ending the file", plain: true)
        try Self.agree("a,b,c,d,note\n1,2,3,4,5\r\n\r", "a lone CR after a CRLF", plain: true)
    }

    @Test func irregularRecordsTakeTheGeneralReader() throws {
        let base = Self.text(rows: 4_000, seed: 0xFEED)
        var lines = base.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }  // (a CRLF is one Character: split the bytes)
        let at = 3_001
        // (label, record, whether the C parser takes it)
        let variants: [(String, String, Bool)] = [
            ("spaces around a number", " 1.5 ,2,3,4,5", false),
            ("a tab", "1.5\t,2,3,4,5", false),
            ("a quoted number", "\"1.5\",2,3,4,5", false),
            ("a quote in the unread column", "1,2,3,4,\"x\"", false),
            ("an empty field", "1,,3,4,5", false),
            ("NA", "1,NA,3,4,5", false),
            ("nan", "1,2,nan,4,5", false),
            ("beyond the largest double", "1,2,3,1e400,5", false),
            ("an exponent without digits", "1,2,3,4e,5", false),
            ("a point alone", "1,.,3,4,5", false),
            ("too few fields", "1,2,3,4", false),
            ("too many fields", "1,2,3,4,5,6", false),
            ("a bare CR inside", "1,2\r,3,4,5", false),
            ("trailing text", "1.5x,2,3,4,5", false),
            ("a CRLF empty line", "\r", true),
            ("25 digits", "1234567890123456789012345,2,3,4,5", true),
            ("300 digits", String(repeating: "123456789", count: 33) + ".5,2,3,4,5", true),
            ("text in the unread column", "1,2,3,4,hello world", true),
        ]
        for (label, line, plain) in variants {
            var changed = lines
            changed[at] = line
            try Self.agree(changed.joined(separator: "\n"), label, plain: plain)
        }
        lines[at] = "1,2,3,4,5"
        try Self.agree(lines.joined(separator: "\n"), "control", plain: true)
    }

    @Test func theRowLimitIsTheSequentialReadersToEnforce() throws {
        // Over the limit by the count of lines, but not by records: line ends inside quotes.
        let quoted = try Self.agree("a,b,c,d,note\n1,2,3,4,\"x\ny\"\n5,6,7,8,\"x\ny\"\n", "line ends inside quotes", plain: false, maxCells: 8)
        if case .success(let (rows, _)) = quoted { #expect(rows == 2) } else { Issue.record("\(quoted)") }
        // A bad value before the limit is passed: the value's message, not the limit's.
        let bad = try Self.agree("a,b,c,d,note\n1,NA,3,4,5\n" + String(repeating: "1,2,3,4,5\n", count: 10), "a bad value first", plain: false, maxCells: 20)
        if case .failure(let error) = bad { #expect(error.message.contains("NA"), "\(error.message)") } else { Issue.record("\(bad)") }
        // Over the limit, plainly: refused.
        let over = try Self.agree("a,b,c,d,note\n" + String(repeating: "1,2,3,4,5\n", count: 10), "over the limit", plain: true, maxCells: 20)
        if case .failure(let error) = over { #expect(error.kind == .tooLarge, "\(error.message)") } else { Issue.record("\(over)") }
    }

    @Test func aColumnAskedForTwiceIsRefused() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-twice-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("t.csv")
        try Data("a,b\n1,2\n".utf8).write(to: file)
        guard case .failure(let error) = Self.read(file, columns: [0, 0]) else { Issue.record("a repeated column must be refused"); return }
        #expect(error.message.contains("\"a\" is asked for twice"), "\(error.message)")
    }

    @Test func recordsAreCountedAsTheReadersSkipLines() {
        var g = Generator(state: 99)
        let alphabet: [UInt8] = Array("1,\n\r".utf8)
        for _ in 0..<2_000 {
            let n = Int(g.below(70))
            let bytes = (0..<n).map { _ in alphabet[Int(g.below(UInt64(alphabet.count)))] }
            // The readers' rule: a line counts unless it is empty or a lone CR (the last line
            // too, which counts without its line end).
            var records = 0, lines = 0, start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
                let line = bytes[start..<i]
                let isLast = i == bytes.count
                if !(isLast && line.isEmpty) {
                    lines += 1
                    if !(line.isEmpty || (line.count == 1 && line.first == 0x0D)) { records += 1 }
                }
                start = i + 1
            }
            var countedLines = 0
            let counted = bytes.withUnsafeBufferPointer { scilearn_csv_count_records($0.baseAddress, 0, bytes.count, &countedLines) }
            #expect(counted == records && countedLines == lines, "\(String(decoding: bytes, as: UTF8.self).debugDescription): \(counted)/\(countedLines) vs \(records)/\(lines)")
        }
    }

    /// One column, with empty lines and a lone CR among the records: the parser takes the records
    /// the count takes, whether the column is read or not (at one column an empty line's own
    /// line end is the record's last delimiter, which the whole-record path must not take for a
    /// record), at both code paths.
    @Test func oneColumnFilesSkipEmptyLines() {
        let bytes = Array("x\n1.5\n\n2\n\r\n3.25\n\n".utf8)
        defer { _ = scilearn_data_set_level(1) }
        for level in [0, 1] {
            _ = scilearn_data_set_level(Int32(level))
            for slot in [[0], [-1]] {
                var out = [Double](repeating: 0, count: 3)
                var position = 2, irregular: Int32 = 0
                let parsed = bytes.withUnsafeBufferPointer { b in
                    scilearn_csv_plain_records(b.baseAddress, &position, bytes.count, 1, slot, &out, 3, 0, 3, &irregular)
                }
                // (Stopped by the limit after the third record: just before the last empty line.)
                #expect(parsed == 3 && irregular == 0 && position == bytes.count - 1,
                        "level \(level), slot \(slot): \(parsed) records to \(position) of \(bytes.count), irregular \(irregular)")
                if slot == [0] { #expect(out == [1.5, 2, 3.25], "level \(level)") }
            }
        }
    }
}
}
