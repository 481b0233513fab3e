import SciLearnService

/// The dict of a `.npy` header, a Python literal such as
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 50), }`: exactly the keys
/// `descr`, `fortran_order` and `shape`, read by a small strict parser (no `eval`).
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    init(_ text: String) throws(DataSourceError) {
        var p = Parser(bytes: Array(text.utf8))
        var descr: String?, fortran: Bool?, shape: [Int]?
        try p.expect(UInt8(ascii: "{"))
        while true {
            p.skipSpace()
            if p.peek == UInt8(ascii: "}") { p.i += 1; break }
            let key = try p.string()
            try p.expect(UInt8(ascii: ":"))
            switch key {
            case "descr": descr = try p.string()
            case "fortran_order": fortran = try p.bool()
            case "shape": shape = try p.tuple()
            default: throw DataSourceError("has a header with an unexpected key '\(key)'")
            }
            p.skipSpace()
            if p.peek == UInt8(ascii: ",") { p.i += 1; continue }
            try p.expect(UInt8(ascii: "}"))
            break
        }
        guard let descr, let fortran, let shape else {
            throw DataSourceError("has a header without descr, fortran_order or shape")
        }
        self.descr = descr
        self.fortranOrder = fortran
        self.shape = shape
    }

    private struct Parser {
        var bytes: [UInt8]
        var i = 0
        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() { while let c = peek, c == 0x20 || c == 0x0A || c == 0x09 { i += 1 } }

        mutating func expect(_ c: UInt8) throws(DataSourceError) {
            skipSpace()
            guard peek == c else { throw DataSourceError("has a malformed header (expected '\(Character(UnicodeScalar(c)))' at byte \(i))") }
            i += 1
        }

        mutating func string() throws(DataSourceError) -> String {
            skipSpace()
            guard let q = peek, q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") else { throw DataSourceError("has a malformed header (expected a string at byte \(i))") }
            i += 1
            let start = i
            while let c = peek, c != q { i += 1 }
            guard peek == q else { throw DataSourceError("has a malformed header (an unclosed string)") }
            defer { i += 1 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func bool() throws(DataSourceError) -> Bool {
            skipSpace()
            for (word, value) in [("True", true), ("False", false)] where bytes[i...].starts(with: word.utf8) {
                i += word.utf8.count
                return value
            }
            throw DataSourceError("has a malformed header (fortran_order must be True or False)")
        }

        mutating func tuple() throws(DataSourceError) -> [Int] {
            try expect(UInt8(ascii: "("))
            var out: [Int] = []
            while true {
                skipSpace()
                if peek == UInt8(ascii: ")") { i += 1; return out }
                let start = i
                while let c = peek, c >= 0x30 && c <= 0x39 { i += 1 }
                guard i > start, i - start <= 18, let v = Int(String(decoding: bytes[start..<i], as: UTF8.self)) else {
                    throw DataSourceError("has a malformed header (the shape must be a tuple of non-negative integers)")
                }
                out.append(v)
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: ")"))
                return out
            }
        }
    }
}
