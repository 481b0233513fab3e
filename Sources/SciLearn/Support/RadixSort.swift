/// Least-significant-digit radix sort of doubles: the bit patterns mapped to unsigned keys
/// that order as the numbers do (negative values complemented, the sign bit set on the others),
/// six passes of 11 bits, a pass skipped when every key shares its digit. NaN-free input;
/// −0.0 sorts just before +0.0 (they compare equal, so every consumer that groups ties by `==`
/// sees one group).
///
/// - Complexity: O(n) time, 2n words of scratch: about a tenth of a comparison sort at 10⁶.
enum RadixSort {
    static func sorted(_ values: [Double]) -> [Double] {
        let n = values.count
        if n < 256 { return values.sorted() }
        var keys = [UInt64](repeating: 0, count: n)
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 6 * 2048)
        values.withUnsafeBufferPointer { v in
            keys.withUnsafeMutableBufferPointer { k in
                counts.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n {
                        let bits = v[i].bitPattern
                        let key = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
                        k[i] = key
                        for pass in 0..<6 { c[pass * 2048 + Int((key >> (11 * UInt64(pass))) & 2047)] += 1 }
                    }
                }
            }
        }
        var source = keys, target = scratch
        keys = []; scratch = []
        for pass in 0..<6 {
            let base = pass * 2048
            // A digit every key shares moves nothing.
            if counts[base..<(base + 2048)].contains(n) { continue }
            var offset = 0
            for d in 0..<2048 { let c = counts[base + d]; counts[base + d] = offset; offset += c }
            let shift = UInt64(11 * pass)
            source.withUnsafeBufferPointer { s in
                target.withUnsafeMutableBufferPointer { t in
                    counts.withUnsafeMutableBufferPointer { c in
                        for i in 0..<n {
                            let key = s[i]
                            let d = base + Int((key >> shift) & 2047)
                            t[c[d]] = key
                            c[d] += 1
                        }
                    }
                }
            }
            swap(&source, &target)
        }
        return source.map { key in
            Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
        }
    }
}
