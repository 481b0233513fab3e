import CLapack
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension KolmogorovDistribution {
    /// P(Dₙ < d) by Durbin's matrix (Marsaglia, Tsang and Wang 2003): n!/nⁿ times the central
    /// entry of Hⁿ, H the (2k − 1)-square matrix of k = ⌈nd⌉ and h = k − nd. The powers are
    /// formed by squaring (BLAS `dgemm`) with a binary exponent carried apart, so that neither
    /// they nor n!/nⁿ leave the double range.
    ///
    /// - Complexity: O(k³ log n).
    func durbinCDF(_ d: Double) -> Double {
        let nd = Double(n) * d
        if d >= 1 { return 1 }
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        // First column v: (1 − h^(i+1))/(i+1)!, its last entry (1 − 2hᵐ + max(0, 2h − 1)ᵐ)/m!;
        // the band above: 1/(i − j + 1)!; the last row: v reversed.
        var reciprocalFactorial = [Double](repeating: 1, count: m + 1)
        for j in 1...m { reciprocalFactorial[j] = reciprocalFactorial[j - 1] / Double(j) }
        var v = [Double](repeating: 0, count: m)
        for j in 1...m { v[j - 1] = (1 - pow(h, Double(j))) * reciprocalFactorial[j] }
        v[m - 1] = (1 + pow(Swift.max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))) * reciprocalFactorial[m]
        var matrix = [Double](repeating: 0, count: m * m)   // column-major
        for column in 1..<m {
            for row in (column - 1)..<m { matrix[row + column * m] = reciprocalFactorial[row - column + 1] }
        }
        for row in 0..<m { matrix[row] = v[row] }
        for column in 0..<m { matrix[m - 1 + column * m] = v[m - 1 - column] }

        let big = 0x1p128, small = 0x1p-128
        var power = [Double](repeating: 0, count: m * m)
        for i in 0..<m { power[i * m + i] = 1 }
        var scratch = [Double](repeating: 0, count: m * m)
        var powerExponent = 0, matrixExponent = 0
        var remaining = n
        let centre = (k - 1) + (k - 1) * m
        while remaining > 0 {
            if remaining & 1 == 1 {
                Self.multiply(power, matrix, into: &scratch, m)
                swap(&power, &scratch)
                powerExponent += matrixExponent
                if abs(power[centre]) > big {
                    for i in power.indices { power[i] *= small }
                    powerExponent += 128
                }
            }
            remaining >>= 1
            if remaining == 0 { break }
            Self.multiply(matrix, matrix, into: &scratch, m)
            swap(&matrix, &scratch)
            matrixExponent *= 2
            if abs(matrix[centre]) > big {
                for i in matrix.indices { matrix[i] *= small }
                matrixExponent += 128
            }
        }
        var p = power[centre]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < small {
                p *= big
                powerExponent -= 128
            }
        }
        return Self.clip(scalbn(p, powerExponent))
    }

    /// c = a·b for m × m column-major matrices.
    private static func multiply(_ a: [Double], _ b: [Double], into c: inout [Double], _ m: Int) {
        let mm = Int32(m)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, mm, mm, mm, 1, pa.baseAddress, mm, pb.baseAddress, mm, 0, pc.baseAddress, mm)
                }
            }
        }
    }
}
