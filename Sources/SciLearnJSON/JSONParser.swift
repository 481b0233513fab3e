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
    let p: UnsafePointer<UInt8>
    let end: Int
    var i = 0
    private let maxDepth: Int
    /// Asked once per row of a packed matrix: a large body is the one part of a job's decoding
    /// that takes long enough to be worth stopping (measured: 0.25-0.29 s for a 44 MB body).
    private var isCancelled: (@Sendable () -> Bool)?
    /// ``powersOfTen``, read once per parse.
    let pow10: UnsafePointer<Double>

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

    func fail(_ message: String) -> Failure {
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
}
