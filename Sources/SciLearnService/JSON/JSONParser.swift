#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict RFC 8259 parser with a nesting limit: it never recurses deeper than `maxDepth`, so a
/// hostile body of a million `[` fails cleanly instead of overflowing the stack, and it rejects
/// duplicate keys, trailing garbage and numbers outside the range of a double.
struct JSONParser {
    struct Failure: Error {
        let message: String
    }

    private let bytes: [UInt8]
    private var i = 0
    private let maxDepth: Int

    /// Parses one JSON value filling the whole input (surrounding whitespace allowed).
    static func parse(_ input: some Collection<UInt8>, maxDepth: Int) throws(Failure) -> JSONValue {
        var p = JSONParser(bytes: Array(input) + [0], maxDepth: maxDepth)
        let end = p.bytes.count - 1
        p.skipWhitespace()
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.i == end else { throw p.fail("unexpected content after the JSON value") }
        return v
    }

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func fail(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(i)")
    }

    private mutating func skipWhitespace() {
        while i < bytes.count - 1 {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard i < bytes.count - 1 else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return .object(try object(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try array(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(bytes[i])))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let w = word.withUTF8Buffer { Array($0) }
        guard i + w.count <= bytes.count - 1, Array(bytes[i..<(i + w.count)]) == w else {
            throw fail("invalid literal")
        }
        i += w.count
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONObject {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var entries: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if bytes[i] == UInt8(ascii: "}") { i += 1; return JSONObject(entries) }
        while true {
            skipWhitespace()
            guard bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try string()
            guard seen.insert(key).inserted else { throw fail("duplicate key \"\(key)\"") }
            skipWhitespace()
            guard bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipWhitespace()
            entries.append((key, try value(depth: depth)))
            skipWhitespace()
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return JSONObject(entries) }
            throw fail("expected ',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> [JSONValue] {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var out: [JSONValue] = []
        skipWhitespace()
        if bytes[i] == UInt8(ascii: "]") { i += 1; return out }
        while true {
            skipWhitespace()
            out.append(try value(depth: depth))
            skipWhitespace()
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return out }
            throw fail("expected ',' or ']'")
        }
    }

    private mutating func number() throws(Failure) -> Double {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.i
            while p.bytes[p.i] >= UInt8(ascii: "0") && p.bytes[p.i] <= UInt8(ascii: "9") { p.i += 1 }
            return p.i - s
        }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else if digits(&self) == 0 {
            throw fail("invalid number")
        }
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { throw fail("invalid number") }
        }
        if bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw fail("invalid number") }
        }
        if let v = Self.fastPath(bytes, start, i) { return v }
        let v = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { strtod($0 + start, nil) }
        }
        guard v.isFinite else { throw Failure(message: "number at byte \(start) is outside the range of a double") }
        return v
    }

    /// Exact powers of ten representable in a Double (10^0 ... 10^22).
    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    /// Clinger's fast path: a decimal with at most 15 significant digits and a decimal exponent
    /// of magnitude at most 22 is w × 10^e or w / 10^-e with both operands exact doubles, so one
    /// IEEE multiplication or division gives the correctly rounded value, the same bits strtod
    /// gives. Anything else (about never, for data) returns nil and goes to strtod.
    /// `bytes[start..<end]` is an already validated JSON number.
    private static func fastPath(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Double? {
        var k = start
        let negative = bytes[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var inFraction = false
        while k < end {
            let c = bytes[k]
            if c == UInt8(ascii: ".") {
                inFraction = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                break
            } else {
                let d = UInt64(c &- UInt8(ascii: "0"))
                if mantissa != 0 || d != 0 {
                    significant += 1
                    if significant > 15 { return nil }
                    mantissa = mantissa * 10 + d
                }
                if inFraction { exponent -= 1 }
            }
            k += 1
        }
        if k < end {
            k += 1
            var sign = 1
            if bytes[k] == UInt8(ascii: "+") { k += 1 } else if bytes[k] == UInt8(ascii: "-") { sign = -1; k += 1 }
            guard end - k <= 4 else { return nil }
            var e = 0
            while k < end { e = e * 10 + Int(bytes[k] &- UInt8(ascii: "0")); k += 1 }
            exponent += sign * e
        }
        let w = Double(mantissa)
        let v: Double
        if mantissa == 0 {
            v = 0
        } else if exponent >= 0 && exponent <= 22 {
            v = w * powersOfTen[exponent]
        } else if exponent < 0 && exponent >= -22 {
            v = w / powersOfTen[-exponent]
        } else {
            return nil
        }
        return negative ? -v : v
    }

    private mutating func string() throws(Failure) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count - 1 else { throw fail("unterminated string") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { throw fail("unpaired surrogate") }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw fail("unpaired surrogate")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid unicode escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("invalid escape")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
        return s
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid unicode escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
