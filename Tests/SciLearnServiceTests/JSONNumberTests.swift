import Foundation
import Testing
import SciLearnTestSupport
@testable import SciLearnService

/// The parser's fast path for numbers (Clinger: at most 15 significant digits, |exponent| <= 22)
/// must give the same bits as a correctly rounded conversion (glibc's strtod, through
/// `Double(String)`), and the slow path must take over everywhere else.
@Suite(.ownThread(.computing)) struct JSONNumberTests {
    static func parse(_ text: String) throws -> Double {
        guard case .array(let values) = try JSONParser.parse(Array("[\(text)]".utf8), maxDepth: 4),
              case .number(let x) = values[0] else { throw CocoaError(.coderInvalidValue) }
        return x
    }

    @Test func edgeCases() throws {
        for text in ["0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.3", "1e22", "1e23", "9007199254740993",
                     "123456789012345", "1234567890123456", "0.000001", "1e-22", "1e-23", "4.9e-324", "2.2250738585072014e-308",
                     "1.7976931348623157e308", "17.5e1", "3.14159265358979", "-2.5E-3", "1E+2", "0.1e1", "100000000000000000000000"] {
            let got = try Self.parse(text)
            let want = Double(text)!
            #expect(got.bitPattern == want.bitPattern, "\(text): \(got) vs \(want)")
        }
    }

    @Test func randomDecimalsMatchStrtodBitForBit() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // fixed: a failure reproduces
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        for _ in 0..<200_000 {
            let digits = Int(next() % 18) + 1
            var mantissa = String(next() % 1_000_000_000_000_000_000)
            mantissa = String(mantissa.prefix(digits))
            let point = Int(next() % UInt64(mantissa.count + 1))
            var text = point == mantissa.count ? mantissa : String(mantissa.prefix(point)) + "." + String(mantissa.dropFirst(point))
            if text.hasPrefix(".") { text = "0" + text }
            if text.hasSuffix(".") { text += "0" }
            if next() % 3 == 0 { text += "e\(Int(next() % 60) - 30)" }
            if next() % 2 == 0 { text = "-" + text }
            let got = try Self.parse(text)
            let want = Double(text)!
            #expect(got.bitPattern == want.bitPattern, "\(text)")
            if got.bitPattern != want.bitPattern { return }
        }
    }

    /// The fast path against strtod for every negative exponent it serves, k = 1...22, with
    /// mantissas of every length up to 15 digits (4,000 each).
    @Test func everyNegativeExponentMatchesStrtod() throws {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var text = "["
        var expected: [Double] = []
        for k in 1...22 {
            for _ in 0..<4_000 {
                let digits = Int(next() % 15) + 1
                var m: UInt64 = 1
                for _ in 0..<digits { m *= 10 }
                let mantissa = next() % m
                let s = "\(mantissa)e-\(k)"
                text += (expected.isEmpty ? "" : ",") + s
                expected.append(Double(s)!)
            }
        }
        text += "]"
        guard case .array(let values) = try JSONParser.parse(Array(text.utf8), maxDepth: 4) else { Issue.record("an array"); return }
        var mismatches = 0
        for (v, want) in zip(values, expected) {
            guard case .number(let got) = v else { mismatches += 1; continue }
            if got.bitPattern != want.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(expected.count) differ from strtod")
    }
}
