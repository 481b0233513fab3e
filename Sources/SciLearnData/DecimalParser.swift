#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A decimal number of a text field, to the double nearest it (the same bits as `strtod`):
/// `[+-]digits[.digits][(e|E)[+-]digits]`, or `.5`, or `5.`, with spaces and tabs around it
/// allowed, as pandas reads them.
///
/// Clinger's fast path (digits whose integer is below 2⁵³ and a power of ten of magnitude at
/// most 22: one exact operation, correctly rounded) takes short decimals; the Eisel-Lemire
/// algorithm (the 19-digit integer times a 128-bit 5^q from ``PowersOfFive``, rounded to
/// nearest-even from the product's top bits; Lemire, "Number parsing at a gigabyte per second",
/// 2021, with Mushtak and Lemire's proof that the 128-bit product always suffices) takes the
/// 17-digit decimals numpy and pandas write; only more than 19 significant digits go to
/// `strtod` on a terminated copy. Every path gives `strtod`'s bits (tested on random decimals).
enum DecimalParser {
    /// Exact powers of ten, 10⁰ … 10²².
    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { v, _ in v * 10 } }

    /// The value of `field` (without its quotes), or nil when it is not a decimal number
    /// (empty, `NA`, `nan`, `inf`, text).
    static func parse(_ field: UnsafeRawBufferPointer) -> Double? {
        var start = 0, end = field.count
        while start < end && (field[start] == 0x20 || field[start] == 0x09) { start += 1 }
        while end > start && (field[end - 1] == 0x20 || field[end - 1] == 0x09 || field[end - 1] == 0x0D) { end -= 1 }
        guard start < end else { return nil }
        var k = start
        var negative = false
        if field[k] == UInt8(ascii: "-") { negative = true; k += 1 } else if field[k] == UInt8(ascii: "+") { k += 1 }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits kept in `mantissa`
        var dropped = 0         // integer digits beyond 19, each a power of ten
        var seenDigit = false
        var exponent = 0
        while k < end, case let d = field[k] &- 0x30, d < 10 {
            seenDigit = true
            if mantissa == 0 && d == 0 { k += 1; continue }
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(d); digits += 1 } else { dropped += 1 }
            k += 1
        }
        var inexact = dropped > 0
        if k < end && field[k] == UInt8(ascii: ".") {
            k += 1
            while k < end, case let d = field[k] &- 0x30, d < 10 {
                seenDigit = true
                if mantissa == 0 && d == 0 { exponent -= 1; k += 1; continue }
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(d); digits += 1; exponent -= 1 } else if d != 0 { inexact = true }
                k += 1
            }
        }
        guard seenDigit else { return nil }
        exponent += dropped
        if k < end && (field[k] == UInt8(ascii: "e") || field[k] == UInt8(ascii: "E")) {
            k += 1
            var sign = 1
            if k < end && field[k] == UInt8(ascii: "+") { k += 1 } else if k < end && field[k] == UInt8(ascii: "-") { sign = -1; k += 1 }
            guard k < end, field[k] &- 0x30 < 10 else { return nil }
            var e = 0
            while k < end, case let d = field[k] &- 0x30, d < 10 {
                if e < 100_000 { e = e * 10 + Int(d) }
                k += 1
            }
            exponent += sign * e
        }
        guard k == end else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0 }
        if !inexact && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            let w = Double(mantissa)
            let v = exponent >= 0 ? w * powersOfTen[exponent] : w / powersOfTen[-exponent]
            return negative ? -v : v
        }
        if !inexact { return eiselLemire(mantissa, exponent, negative: negative) }
        return slow(UnsafeRawBufferPointer(rebasing: field[start..<end]))
    }

    /// w·10^q correctly rounded (w > 0, at most 19 digits), or nil when it overflows.
    static func eiselLemire(_ w: UInt64, _ q: Int, negative: Bool) -> Double? {
        let sign: UInt64 = negative ? 1 << 63 : 0
        if q < PowersOfFive.smallest { return Double(bitPattern: sign) }
        if q > PowersOfFive.largest { return nil }
        let lz = w.leadingZeroBitCount
        let normalised = w << UInt64(lz)
        let index = 2 * (q - PowersOfFive.smallest)
        var (high, low) = PowersOfFive.words.withUnsafeBufferPointer { t in normalised.multipliedFullWidth(by: t[index]) }
        // Within 2⁻⁵⁵ of a carry into the kept bits: add the next 64 bits of 5^q.
        if high & 0x1FF == 0x1FF {
            let next = PowersOfFive.words.withUnsafeBufferPointer { t in normalised.multipliedFullWidth(by: t[index + 1]).high }
            let (sum, carry) = low.addingReportingOverflow(next)
            low = sum
            if carry { high &+= 1 }
        }
        let upper = Int(high >> 63)
        let shift = UInt64(upper + 9)
        var mantissa = high >> shift
        // floor(log2(5^q)) + q + 63, by the integer formula valid for |q| < 350.
        var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upper - lz + 1023
        if power2 <= 0 {
            // Subnormal (or zero).
            if -power2 + 1 >= 64 { return Double(bitPattern: sign) }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            power2 = mantissa < (1 << 52) ? 0 : 1
            return Double(bitPattern: sign | UInt64(power2) << 52 | mantissa)
        }
        // Exactly halfway (only possible for small |q|): round to even instead of up.
        if low <= 1 && q >= -4 && q <= 23 && mantissa & 3 == 1 && (mantissa << shift) == high {
            mantissa &= ~UInt64(1)
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= (2 << 52) {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(UInt64(1) << 52)
        if power2 >= 0x7FF { return nil }
        return Double(bitPattern: sign | UInt64(power2) << 52 | mantissa)
    }

    /// `strtod` of a copy terminated by NUL (already validated as a decimal).
    private static func slow(_ text: UnsafeRawBufferPointer) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
            for i in 0..<text.count { buffer[i] = CChar(bitPattern: text[i]) }
            buffer[text.count] = 0
            let v = strtod(buffer.baseAddress!, nil)
            return v.isFinite ? v : nil
        }
    }
}
