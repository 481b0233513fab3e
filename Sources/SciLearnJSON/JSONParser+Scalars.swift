#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parser's scalars: numbers (Clinger's fast path, else strtod) and strings (escapes and
/// UTF-8 validated), read in one pass from the sentinel-terminated buffer.
extension JSONParser {
    /// Exact powers of ten representable in a Double (10^0 ... 10^22), in one buffer read through
    /// a pointer the parser holds (no lazy-global check per number).
    nonisolated(unsafe) static let powersOfTen: UnsafePointer<Double> = {
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
    mutating func number() throws(Failure) -> Double {
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

    mutating func string() throws(Failure) -> String {
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
