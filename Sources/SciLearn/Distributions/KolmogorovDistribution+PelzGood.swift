#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension KolmogorovDistribution {
    /// P(Dₙ < d) by the Pelz-Good series (1976): Li-Chien and Korolyuk's expansion
    /// K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^{3/2} at z = d√n, each term through Jacobi's theta
    /// transformation in the form suited to small z (as scipy's `_kolmogn_PelzGood`).
    ///
    /// - Complexity: O(z) terms.
    func pelzGoodCDF(_ d: Double) -> Double {
        if d <= 0 { return 0 }
        if d >= 1 { return 1 }
        let pi2 = Double.pi * Double.pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2
        let z = Double(n).squareRoot() * d
        let z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2
        let logQ = -pi2 / 8 / z2
        if logQ < -708 { return 0 }
        var q = exp(logQ)
        let k1a = -z2, k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * z4 * z4
        let terms = Int((16 * z / Double.pi).rounded(.up))
        var k0 = 0.0, kk1 = 0.0, kk2 = 0.0, kk3 = 0.0
        if terms >= 1 {
            for k in stride(from: terms, through: 1, by: -1) {
                let m = Double(2 * k - 1)
                let m2 = m * m, m4 = m2 * m2, m6 = m4 * m2
                let qPower = pow(q, Double(8 * k))
                k0 = k0 * qPower + 1
                kk1 = kk1 * qPower + (k1a + k1b * m2)
                kk2 = kk2 * qPower + (k2a + k2b * m2 + k2c * m4)
                kk3 = kk3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6)
            }
        }
        let scale = q * (2 * Double.pi).squareRoot()
        k0 = k0 * scale / z
        kk1 = kk1 * scale / (6 * z4)
        kk2 = kk2 * scale / (72 * z4 * z3)
        kk3 = kk3 * scale / (6480 * z6 * z4)
        q = exp(-pi2 / 2 / z2)
        var extra2 = 0.0, extra3 = 0.0
        let root3z = 3.0.squareRoot() * z
        if terms >= 1 {
            for k in stride(from: terms, through: 1, by: -1) {
                let kk = Double(k) * Double(k)
                let weight = kk * pow(q, kk)
                extra2 += weight
                let kPi = Double.pi * Double(k)
                extra3 += (root3z + kPi) * (root3z - kPi) * weight
            }
        }
        kk2 += extra2 * (pi2 * (2 * Double.pi).squareRoot() / (-36 * z3))
        kk3 += extra3 * (pi2 * (2 * Double.pi).squareRoot() / (216 * z6))
        let root = Double(n).squareRoot()
        return k0 + kk1 / root + kk2 / Double(n) + kk3 / (Double(n) * root)
    }
}
