#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict RFC 8259 parser with a nesting limit: it recurses once per level of nesting and
/// refuses a level past `maxDepth`, so a hostile body of a million `[` fails cleanly instead of overflowing the stack, and it rejects
/// duplicate keys, trailing garbage and numbers outside the range of a double.
///
/// A request's numeric arrays take a fast path (``parseRequest(_:maxDepth:)``): the fields of its
/// `data` object that are arrays of numbers, or arrays of equal-length rows of numbers, are read
/// straight into one flat buffer (``PackedNumbers``), one pass per number and no value tree.
/// Anything else in them (a null, a string, a ragged row) falls back to the value tree, so that
/// the data reader can name the offending cell; the two paths accept exactly the same texts.
package struct JSONParser {
    /// Why a text was refused, or that the parse was stopped.
    package struct Failure: Error {
        package let message: String
        /// The parse was stopped through its cancellation token, not refused.
        package var cancelled = false
    }

    /// The input followed by eight NUL bytes: a sentinel, so that look-ahead never reads past
    /// the buffer, and room for the four-digit loads of ``fourDigits(at:)``.
    private let p: UnsafePointer<UInt8>
    private let end: Int
    private var i = 0
    private let maxDepth: Int
    /// Asked once per row of a packed matrix: a large body is the one part of a job's decoding
    /// that takes long enough to be worth stopping (measured: 0.25-0.29 s for a 44 MB body).
    private var isCancelled: (@Sendable () -> Bool)?
    /// ``powersOfTen``, read once per parse.
    private let pow10: UnsafePointer<Double>

    /// Parses one JSON value filling the whole input (surrounding whitespace allowed).
    package static func parse(_ input: some Collection<UInt8>, maxDepth: Int) throws(Failure) -> JSONValue {
        try run(input, maxDepth: maxDepth) { (parser: inout JSONParser) throws(Failure) in try parser.value(depth: 0) }
    }

    /// A request body: a JSON object whose `data` member, when it is an object, is read into
    /// ``RequestData`` with its numeric arrays packed. Any other body is returned as a plain value.
    /// `isCancelled` is asked once per packed row; true stops the parse (``Failure/cancelled``).
    package static func parseRequest(_ input: some Collection<UInt8>, maxDepth: Int,
                                     isCancelled: (@Sendable () -> Bool)? = nil) throws(Failure) -> (JSONValue, RequestData?) {
        try run(input, maxDepth: maxDepth) { (parser: inout JSONParser) throws(Failure) in
            parser.isCancelled = isCancelled
            guard parser.p[parser.i] == UInt8(ascii: "{") else { return (try parser.value(depth: 0), nil) }
            var data: RequestData? = nil
            let object = try parser.object(depth: 1) { (parser: inout JSONParser, key: String) throws(Failure) -> JSONValue? in
                guard key == "data", parser.p[parser.i] == UInt8(ascii: "{") else { return nil }
                data = try parser.dataObject(depth: 2)
                return .null   // a placeholder: the request's data is `data`
            }
            return (.object(object), data)
        }
    }

    private static func run<T>(_ input: some Collection<UInt8>, maxDepth: Int,
                               _ body: (inout JSONParser) throws(Failure) -> T) throws(Failure) -> T {
        var bytes = [UInt8]()
        bytes.reserveCapacity(input.count + 8)
        bytes.append(contentsOf: input)
        bytes.append(contentsOf: repeatElement(0, count: 8))
        let count = bytes.count - 8
        return try bytes.withUnsafeBufferPointer { (buf) throws(Failure) -> T in
            var parser = JSONParser(p: buf.baseAddress!, end: count, maxDepth: maxDepth)
            parser.skipWhitespace()
            let v = try body(&parser)
            parser.skipWhitespace()
            guard parser.i == count else { throw parser.fail("unexpected content after the JSON value") }
            return v
        }
    }

    private init(p: UnsafePointer<UInt8>, end: Int, maxDepth: Int) {
        self.p = p
        self.end = end
        self.maxDepth = maxDepth
        self.pow10 = Self.powersOfTen
    }

    private func fail(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(i)")
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < end {
            switch p[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard i < end else { throw fail("unexpected end of input") }
        switch p[i] {
        case UInt8(ascii: "{"): return .object(try object(depth: depth + 1) { (_: inout JSONParser, _: String) throws(Failure) in nil })
        case UInt8(ascii: "["): return .array(try array(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(p[i])))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= end, memcmp(p + i, word.utf8Start, n) == 0 else { throw fail("invalid literal") }
        i += n
    }

    /// An object; `special` may read a member's value itself (returning it) or decline (nil).
    private mutating func object(depth: Int, special: (inout JSONParser, String) throws(Failure) -> JSONValue?) throws(Failure) -> JSONObject {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var entries: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if p[i] == UInt8(ascii: "}") { i += 1; return JSONObject(entries) }
        while true {
            skipWhitespace()
            let key = try memberKey(&seen)
            if let v = try special(&self, key) {
                entries.append((key, v))
            } else {
                entries.append((key, try value(depth: depth)))
            }
            skipWhitespace()
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            if p[i] == UInt8(ascii: "}") { i += 1; return JSONObject(entries) }
            throw fail("expected ',' or '}'")
        }
    }

    /// `"key" :` with the duplicate check; leaves `i` at the value.
    private mutating func memberKey(_ seen: inout Set<String>) throws(Failure) -> String {
        guard p[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
        let key = try string()
        guard seen.insert(key).inserted else { throw fail("duplicate key \"\(key)\"") }
        skipWhitespace()
        guard p[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        i += 1
        skipWhitespace()
        return key
    }

    /// The `data` object: each member packed when it is a numeric array, a value otherwise.
    private mutating func dataObject(depth: Int) throws(Failure) -> RequestData {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var fields: [(key: String, value: RequestData.Field)] = []
        var seen = Set<String>()
        skipWhitespace()
        if p[i] == UInt8(ascii: "}") { i += 1; return RequestData(fields: fields) }
        while true {
            skipWhitespace()
            let key = try memberKey(&seen)
            if p[i] == UInt8(ascii: "["), depth + 2 <= maxDepth, let packed = try packedArray() {
                fields.append((key, .packed(packed)))
            } else {
                fields.append((key, .value(try value(depth: depth))))
            }
            skipWhitespace()
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            if p[i] == UInt8(ascii: "}") { i += 1; return RequestData(fields: fields) }
            throw fail("expected ',' or '}'")
        }
    }

    /// An array of numbers or of equal-length rows of numbers, packed row-major; nil (with the
    /// position restored) for anything else, which the value tree then reads.
    private mutating func packedArray() throws(Failure) -> PackedNumbers? {
        let start = i
        i += 1
        skipWhitespace()
        var values: [Double] = []
        if p[i] == UInt8(ascii: "]") { i += 1; return PackedNumbers(rows: 0, columns: nil, values: values) }
        if p[i] == UInt8(ascii: "[") {
            var rows = 0, columns = -1
            while true {
                skipWhitespace()
                guard p[i] == UInt8(ascii: "[") else { i = start; return nil }
                let before = values.count, rowStart = i
                guard try numbers(into: &values) else { i = start; return nil }
                let count = values.count - before
                if columns < 0 {
                    // Room for as many rows again as the rest of the body could hold at this row's length.
                    columns = count
                    values.reserveCapacity(count * ((end - i) / max(1, i - rowStart) + 1))
                } else if count != columns {
                    i = start; return nil
                }
                rows += 1
                if let isCancelled, isCancelled() { throw Failure(message: "cancelled", cancelled: true) }
                skipWhitespace()
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                if p[i] == UInt8(ascii: "]") { i += 1; return PackedNumbers(rows: rows, columns: columns, values: values) }
                i = start; return nil
            }
        }
        i = start
        guard try numbers(into: &values) else { i = start; return nil }
        return PackedNumbers(rows: values.count, columns: nil, values: values)
    }

    /// `[n, n, ...]` appended to `values`; false when an element is not a number.
    private mutating func numbers(into values: inout [Double]) throws(Failure) -> Bool {
        i += 1
        skipWhitespace()
        if p[i] == UInt8(ascii: "]") { i += 1; return true }
        while true {
            skipWhitespace()
            let c = p[i]
            guard c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) else { return false }
            values.append(try number())
            skipWhitespace()
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            if p[i] == UInt8(ascii: "]") { i += 1; return true }
            return false
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> [JSONValue] {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var out: [JSONValue] = []
        skipWhitespace()
        if p[i] == UInt8(ascii: "]") { i += 1; return out }
        while true {
            skipWhitespace()
            out.append(try value(depth: depth))
            skipWhitespace()
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            if p[i] == UInt8(ascii: "]") { i += 1; return out }
            throw fail("expected ',' or ']'")
        }
    }

    /// Exact powers of ten representable in a Double (10^0 ... 10^22), in one buffer read through
    /// a pointer the parser holds (no lazy-global check per number).
    nonisolated(unsafe) private static let powersOfTen: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        var v = 1.0
        for k in 0...22 { table[k] = v; v *= 10 }
        return UnsafePointer(table)
    }()

    /// One JSON number, validated and converted in a single pass. Clinger's fast path: a decimal
    /// with at most 15 significant digits (its digits as an integer below 10^15) and a decimal
    /// exponent of magnitude at most 22 is w × 10^e or w / 10^-e with both operands exact
    /// doubles, so one IEEE multiplication or division gives the correctly rounded value, the
    /// same bits strtod gives. Anything else (about never, for data) goes to strtod.
    @inline(__always)
    private mutating func number() throws(Failure) -> Double {
        let start = i
        var k = i
        let negative = p[k] == UInt8(ascii: "-")
        if negative { k &+= 1 }
        @inline(__always) func digit(_ c: UInt8) -> UInt64? {
            let d = c &- UInt8(ascii: "0")
            return d < 10 ? UInt64(d) : nil
        }
        var mantissa: UInt64 = 0
        var digits = 0
        if p[k] == UInt8(ascii: "0") {
            k &+= 1
        } else if digit(p[k]) != nil {
            while let four = fourDigits(at: k) { mantissa = mantissa &* 10_000 &+ four; k &+= 4; digits &+= 4 }
            while let d = digit(p[k]) { mantissa = mantissa &* 10 &+ d; k &+= 1; digits &+= 1 }
        } else {
            i = k
            throw fail("invalid number")
        }
        var exponent = 0
        if p[k] == UInt8(ascii: ".") {
            k &+= 1
            guard digit(p[k]) != nil else { i = k; throw fail("invalid number") }
            let fractionStart = k
            while let four = fourDigits(at: k) { mantissa = mantissa &* 10_000 &+ four; k &+= 4 }
            while let d = digit(p[k]) { mantissa = mantissa &* 10 &+ d; k &+= 1 }
            digits &+= k &- fractionStart
            exponent = fractionStart &- k
        }
        if p[k] == UInt8(ascii: "e") || p[k] == UInt8(ascii: "E") {
            k &+= 1
            var sign = 1
            if p[k] == UInt8(ascii: "+") { k &+= 1 } else if p[k] == UInt8(ascii: "-") { sign = -1; k &+= 1 }
            guard digit(p[k]) != nil else { i = k; throw fail("invalid number") }
            var e = 0
            while let d = digit(p[k]) {
                if e < 100_000 { e = e &* 10 &+ Int(d) }
                k &+= 1
            }
            exponent &+= sign &* e
        }
        i = k
        // At most 19 digits read (leading zeros included) hold the exact integer of the digits;
        // below 10^15 it has at most 15 significant digits.
        if digits <= 19 && mantissa < 1_000_000_000_000_000 {
            let w = Double(mantissa)
            if mantissa == 0 { return negative ? -0.0 : 0 }
            if exponent >= 0 && exponent <= 22 {
                let v = w * pow10[exponent]
                return negative ? -v : v
            }
            if exponent < 0 && exponent >= -22 {
                let v = w / pow10[-exponent]
                return negative ? -v : v
            }
        }
        // strtod stops at the first byte that is not part of the number (the sentinel at worst).
        let v = strtod(UnsafeRawPointer(p + start).assumingMemoryBound(to: CChar.self), nil)
        guard v.isFinite else { throw Failure(message: "number at byte \(start) is outside the range of a double") }
        return v
    }

    /// The value of the four bytes at `k` when all are decimal digits (SWAR: one 32-bit load,
    /// two masks, two multiplications), else nil. Reads at most 3 bytes past the sentinel, inside
    /// the padding.
    @inline(__always)
    private func fourDigits(at k: Int) -> UInt64? {
        let v = UInt64(UnsafeRawPointer(p + k).loadUnaligned(as: UInt32.self).littleEndian)
        // Every byte in 0x30...0x39: its high nibble is 3, and adding 6 keeps it 3.
        guard v & 0xF0F0_F0F0 == 0x3030_3030, (v &+ 0x0606_0606) & 0xF0F0_F0F0 == 0x3030_3030 else { return nil }
        let d = v &- 0x3030_3030                                  // bytes d0 d1 d2 d3, d0 first
        let pairs = (d &* 10 &+ (d >> 8)) & 0x00FF_00FF           // 10·d0 + d1, 10·d2 + d3
        return (pairs & 0xFF) &* 100 &+ (pairs >> 16)
    }

    private mutating func string() throws(Failure) -> String {
        i += 1
        // Fast path: no escapes.
        let start = i
        while i < end, p[i] != UInt8(ascii: "\""), p[i] != UInt8(ascii: "\\"), p[i] >= 0x20 { i += 1 }
        if i < end, p[i] == UInt8(ascii: "\"") {
            let s = String(validating: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
            guard let s else { throw fail("invalid UTF-8 in string") }
            i += 1
            return s
        }
        var out = Array(UnsafeBufferPointer(start: p + start, count: i - start))
        while true {
            guard i < end else { throw fail("unterminated string") }
            let c = p[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            let e = p[i]
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
                    guard p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { throw fail("unpaired surrogate") }
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
            let c = p[i]
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
