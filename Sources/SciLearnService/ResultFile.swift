import Foundation

/// One array of a result as a file of its own (a request's `output` with `arrays`): a vector or
/// a matrix of numbers as a numpy `.npy` (float64, C order; a null is NaN) or a CSV with a
/// header; booleans as `.npy` of numpy's `bool`; strings (class labels) always as CSV.
struct ResultFile {
    var bytes: [UInt8]
    var fileExtension: String
    var contentType: String

    /// The file of `value` (the result's member `field`), or nil when it is not an array of
    /// scalars or of equal-length rows of numbers.
    init?(_ value: JSONValue, field: String, format: OutputLocation.Arrays) {
        guard case .array(let items) = value else { return nil }
        enum Kind { case numbers, booleans, strings, rows(Int) }
        var kind: Kind? = nil
        for item in items {
            let k: Kind
            switch item {
            case .number, .null: k = .numbers
            case .bool: k = .booleans
            case .string: k = .strings
            case .array(let row):
                guard row.allSatisfy({ if case .number = $0 { true } else { $0 == .null } }) else { return nil }
                k = .rows(row.count)
            default: return nil
            }
            switch (kind, k) {
            case (nil, _): kind = k
            case (.numbers?, .numbers), (.booleans?, .booleans), (.strings?, .strings): break
            case (.rows(let a)?, .rows(let b)) where a == b: break
            default: return nil
            }
        }
        func number(_ v: JSONValue) -> Double { if case .number(let x) = v { x } else { .nan } }
        switch (kind ?? .numbers, format) {
        case (.strings, _), (_, .csv):
            var text: String
            var lines: [String] = []
            switch kind ?? .numbers {
            case .rows(let p):
                text = (0..<p).map { "\(field)_\($0)" }.joined(separator: ",") + "\n"
                for case .array(let row) in items { lines.append(row.map(Self.csvCell).joined(separator: ",")) }
            default:
                text = Self.csvQuoted(field) + "\n"
                for item in items { lines.append(Self.csvCell(item)) }
            }
            text += lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
            self.init(bytes: Array(text.utf8), fileExtension: "csv", contentType: "text/csv")
        case (.booleans, _):
            var body = [UInt8]()
            for case .bool(let b) in items { body.append(b ? 1 : 0) }
            self.init(bytes: Self.npy(descr: "|b1", shape: [items.count], body: body), fileExtension: "npy", contentType: "application/octet-stream")
        case (.rows(let p), _):
            var body = [UInt8]()
            body.reserveCapacity(items.count * p * 8)
            for case .array(let row) in items { for v in row { Self.append(number(v), to: &body) } }
            self.init(bytes: Self.npy(descr: "<f8", shape: [items.count, p], body: body), fileExtension: "npy", contentType: "application/octet-stream")
        case (.numbers, _):
            var body = [UInt8]()
            body.reserveCapacity(items.count * 8)
            for v in items { Self.append(number(v), to: &body) }
            self.init(bytes: Self.npy(descr: "<f8", shape: [items.count], body: body), fileExtension: "npy", contentType: "application/octet-stream")
        }
    }

    private init(bytes: [UInt8], fileExtension: String, contentType: String) {
        self.bytes = bytes
        self.fileExtension = fileExtension
        self.contentType = contentType
    }

    static func append(_ v: Double, to body: inout [UInt8]) {
        withUnsafeBytes(of: v.bitPattern.littleEndian) { body.append(contentsOf: $0) }
    }

    /// A `.npy` of format version 1.0: the magic, the header dict padded with spaces to a
    /// multiple of 64 bytes and ended by a newline, then `body`.
    static func npy(descr: String, shape: [Int], body: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(DataTableHeader.shapeText(shape)), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + body
    }

    /// A CSV cell: a number as the JSON writer writes it (shortest round trip), a null empty.
    static func csvCell(_ v: JSONValue) -> String {
        switch v {
        case .number(let x): JSONWriter.number(x)
        case .string(let s): csvQuoted(s)
        case .bool(let b): b ? "True" : "False"
        default: ""
        }
    }

    static func csvQuoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
