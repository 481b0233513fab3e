/// A request body built to run long: an OLS of `rows × columns` small integers (a formula, no
/// randomness), for the tests of cancellation at a deadline or a drain. Built as bytes directly:
/// tens of megabytes of JSON through `String` interpolation take seconds in a debug build.
public enum LongRequest {
    /// `{"task":"linear_regression","data":{"X":[...],"y":[...]}}` with values in 0...96.
    public static func ols(rows n: Int, columns p: Int) -> [UInt8] {
        var bytes = Array(#"{"task":"linear_regression","data":{"X":["#.utf8)
        bytes.reserveCapacity(n * p * 3 + n * 4 + 64)
        func append(_ v: Int) {
            if v >= 10 { bytes.append(UInt8(48 + v / 10)) }
            bytes.append(UInt8(48 + v % 10))
        }
        for i in 0..<n {
            if i > 0 { bytes.append(44) }
            bytes.append(91)
            for j in 0..<p {
                if j > 0 { bytes.append(44) }
                append((i &* (j + 3) &* 7919 &+ j &* 104_729) % 97)
            }
            bytes.append(93)
        }
        bytes += Array(#"],"y":["#.utf8)
        for i in 0..<n {
            if i > 0 { bytes.append(44) }
            append((i &* 48271) % 97)
        }
        bytes += Array("]}}".utf8)
        return bytes
    }
}
