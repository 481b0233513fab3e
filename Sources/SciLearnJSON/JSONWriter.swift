/// Serialises a ``JSONValue`` compactly. Numbers use Swift's shortest round-trip representation
/// (integral values below 2⁵³ without a fraction); non-finite numbers cannot occur (they are
/// `null` by construction) and are written as `null` if they do.
package enum JSONWriter {
    /// `value` as compact JSON text.
    package static func write(_ value: JSONValue) -> String {
        var out = ""
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): out += number(d)
        case .string(let s): string(s, into: &out)
        case .array(let a):
            out += "["
            for (k, v) in a.enumerated() {
                if k > 0 { out += "," }
                write(v, into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (k, e) in o.entries.enumerated() {
                if k > 0 { out += "," }
                string(e.key, into: &out)
                out += ":"
                write(e.value, into: &out)
            }
            out += "}"
        }
    }

    /// A number's JSON text: integral values below 2⁵³ without a fraction, else the shortest round trip.
    package static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
        return "\(d)"
    }

    private static func string(_ s: String, into out: inout String) {
        out += "\""
        // Most strings (keys, names, messages) need no escape: appended whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
