#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CDataKernels
@testable import SciLearnData
import Testing

/// The suites that set the C data kernels' code path (a process-wide cap), one at a time.
@Suite(.serialized) enum CDataKernelPaths {}

/// `DecimalParser` gives `strtod`'s bits (glibc's, correctly rounded) on every path: Clinger's,
/// Eisel-Lemire's and the fallback, digits eight or 32 at a time (both code paths of the C
/// kernels), and refuses what is not a decimal number.
extension CDataKernelPaths {
@Suite struct DecimalParserTests {
    static func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBytes { DecimalParser.parse($0) }
    }

    static func strtodBits(_ text: String) -> UInt64 { strtod(text, nil).bitPattern }

    /// A deterministic generator (xorshift), so that a failure names a reproducible text.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        mutating func below(_ n: UInt64) -> UInt64 { next() % n }
    }

    @Test func randomDecimalsGiveStrtodsBits() {
        var g = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var texts: [String] = []
        for _ in 0..<120_000 {
            // Random finite doubles, as numpy's %.17g and Swift's shortest repr write them.
            let d = Double(bitPattern: g.next() & ~(0x7FF << 52) | (g.below(0x7FF) << 52))
            texts.append(String(format: "%.17g", d))
            texts.append("\(d)")
            // Random 1-19 digit integers at random powers of ten, placed around a point.
            let digits = 1 + Int(g.below(19))
            var m = ""
            for k in 0..<digits { m.append(Character(UnicodeScalar(UInt8(48 + (k == 0 ? 1 + g.below(9) : g.below(10)))))) }
            let point = Int(g.below(UInt64(digits + 1)))
            let body = point == digits ? m : String(m.prefix(point)) + "." + String(m.dropFirst(point))
            texts.append(body + "e\(Int(g.below(700)) - 360)")
            // Runs of 1-40 digits around a point, with leading zeros: every length of the
            // word and vector paths, and more than 19 significant digits (strtod's).
            let zeros = String(repeating: "0", count: Int(g.below(25)))
            var run = ""
            for _ in 0..<(1 + Int(g.below(40))) { run.append(Character(UnicodeScalar(UInt8(48 + g.below(10))))) }
            let cut = Int(g.below(UInt64(run.count + 1)))
            texts.append((g.below(2) == 0 ? "-" : "") + "0." + zeros + run)
            texts.append(zeros + String(run.prefix(cut)) + "." + String(run.dropFirst(cut)) + (g.below(3) == 0 ? "e\(Int(g.below(80)) - 40)" : ""))
        }
        // Halfway and boundary cases: 2^53 + 1 (a tie), the largest and smallest normals, the
        // smallest subnormal, values that round to the next binade, 5e-324 and below.
        texts += ["9007199254740993", "9007199254740995", "9007199254740992.5", "1.7976931348623157e308",
                  "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9406564584124654e-324", "2.4703282292062328e-324",
                  "2.4703282292062327e-324", "1e-400", "0.000000000000000000000000000000000000001", "123456789012345678e-10",
                  "7.2057594037927933e16", "1e23", "8.5e-7", "0.1", "0.2", "0.30000000000000004", "-0", "-0.0", "+.5", "5.", "00012.500"]
        var mismatches: [String] = []
        defer { _ = scilearn_data_set_level(1) }
        for level in [0, 1] {
            let used = scilearn_data_set_level(Int32(level))
            for t in texts {
                let want = Self.strtodBits(t)
                guard let got = Self.parse(t) else {
                    if Double(bitPattern: want).isFinite { mismatches.append("\(t): nil vs \(Double(bitPattern: want))") }
                    continue
                }
                if got.bitPattern != want { mismatches.append("level \(used), \(t): \(got) vs \(Double(bitPattern: want))") }
                // As the CSV parser calls it: more bytes after the number (a delimiter, then digits),
                // so that the 32-byte vector path runs, stopping at the delimiter.
                let padded = Array((t + ",12345678901234567890123456789012345678901234567890").utf8)
                var stop: UnsafePointer<UInt8>? = nil
                var value = 0.0
                let found = padded.withUnsafeBufferPointer { b in
                    let status = scilearn_decimal(b.baseAddress, b.baseAddress! + b.count, &stop, &value)
                    return (status, stop.map { $0 - b.baseAddress! })
                }
                if Int(found.0) != SCILEARN_DECIMAL_OK || found.1 != t.utf8.count || value.bitPattern != want {
                    mismatches.append("level \(used), \(t) followed by more: \(found) \(value) vs \(Double(bitPattern: want))")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(texts.count): \(mismatches.prefix(10))")
    }

    @Test func notNumbersAreRefused() {
        defer { _ = scilearn_data_set_level(1) }
        for level in [0, 1] {
            _ = scilearn_data_set_level(Int32(level))
            for t in ["", " ", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "nan", "NaN", "inf", "-inf", "NA", "0x10", "1e400", "--1", "1 2", "abc"] {
                #expect(Self.parse(t) == nil, "\(t)")
            }
            #expect(Self.parse(" 1.5\t") == 1.5)
            #expect(Self.parse("1.5\r") == 1.5)
            #expect(Self.parse(String(repeating: "9", count: 400) + "e-100") != nil)
            #expect(Self.parse(String(repeating: "9", count: 400)) == nil, "beyond the largest double")
            // An exponent past 100,000 that a million leading zeros bring back into range.
            #expect(Self.parse("0." + String(repeating: "0", count: 999_999) + "1e1000005") == 1e5)
        }
    }
}
}
