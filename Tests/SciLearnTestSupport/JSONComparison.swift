import Foundation

/// Compares two JSON documents (as decoded by `JSONSerialization`) with a relative tolerance on
/// numbers; returns one line per difference, each with its path (`case.result.coef[2]`).
public enum JSONComparison {
    public static func differences(_ got: Any?, _ want: Any?, path: String, relativeTolerance: Double,
                                   ignoring ignored: Set<String> = []) -> [String] {
        switch (got, want) {
        case (let g as [String: Any], let w as [String: Any]):
            var out: [String] = []
            let gk = Set(g.keys).subtracting(ignored), wk = Set(w.keys).subtracting(ignored)
            if gk != wk { out.append("\(path): keys \(gk.sorted()) vs \(wk.sorted())") }
            for k in gk.intersection(wk).sorted() {
                out += differences(g[k], w[k], path: "\(path).\(k)", relativeTolerance: relativeTolerance, ignoring: ignored)
            }
            return out
        case (let g as [Any], let w as [Any]):
            guard g.count == w.count else { return ["\(path): \(g.count) values vs \(w.count)"] }
            return zip(g, w).enumerated().flatMap { k, pair in
                differences(pair.0, pair.1, path: "\(path)[\(k)]", relativeTolerance: relativeTolerance, ignoring: ignored)
            }
        case (let g as String, let w as String):
            return g == w ? [] : ["\(path): \"\(g)\" vs \"\(w)\""]
        // JSONSerialization reads `true` and `1` both as NSNumber: a boolean equals only a
        // boolean (CFBoolean), a number only a number.
        case (let g as NSNumber, let w as NSNumber) where isBoolean(g) != isBoolean(w):
            return ["\(path): \(isBoolean(g) ? "boolean" : "number") \(g) vs \(isBoolean(w) ? "boolean" : "number") \(w)"]
        case (let g as NSNumber, let w as NSNumber) where isBoolean(g):
            return g.boolValue == w.boolValue ? [] : ["\(path): \(g.boolValue) vs \(w.boolValue)"]
        case (let g as NSNumber, let w as NSNumber):
            let gv = g.doubleValue, wv = w.doubleValue
            return abs(gv - wv) <= relativeTolerance * abs(wv) + 1e-300 ? [] : ["\(path): \(gv) vs \(wv)"]
        case (is NSNull, is NSNull):
            return []
        default:
            return ["\(path): \(String(describing: got)) vs \(String(describing: want))"]
        }
    }

    /// Whether a decoded JSON number is a boolean (`true`/`false`).
    public static func isBoolean(_ n: NSNumber) -> Bool {
        // JSONSerialization decodes booleans as CFBoolean, whose type code is "c"; it decodes
        // JSON numbers as Int ("i"/"q") or Double ("d"), never as a char.
        let code = String(cString: n.objCType)
        return code == "c" || code == "B"
    }
}
