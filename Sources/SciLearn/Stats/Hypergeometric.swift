#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hypergeometric distribution of the successes among `draws` taken from `total` items of
/// which `successes` are successes: the tails of Fisher's exact test.
///
/// Weights relative to the mode are products of the ratios
/// `w(x + 1)/w(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1))`, carried as a mantissa and a
/// binary exponent so that none underflows; every weight is accurate to a few ulps.
struct Hypergeometric {
    let total: Double, successes: Double, draws: Double

    /// The support's ends.
    var lowest: Double { max(0, draws - (total - successes)) }
    var highest: Double { min(successes, draws) }

    /// scipy's mode: ⌊(n + 1)(K + 1)/(N + 2)⌋.
    var mode: Double { min(highest, max(lowest, ((draws + 1) * (successes + 1) / (total + 2)).rounded(.down))) }

    /// w(x + 1)/w(x).
    func ratio(_ x: Double) -> Double {
        (successes - x) * (draws - x) / ((x + 1) * (total - successes - draws + x + 1))
    }

    /// A weight relative to the mode's: `mantissa · 2^exponent`.
    struct Scaled {
        var mantissa: Double
        var exponent: Int
        var value: Double { scalbn(mantissa, exponent) }
        mutating func normalise() {
            if mantissa != 0 && (mantissa < 0x1p-200 || mantissa > 0x1p200) {
                let e = Int(mantissa.exponent)
                mantissa = scalbn(mantissa, -e); exponent += e
            }
        }
    }

    /// Terms below 2⁻¹¹⁰⁰ of the mode's add nothing to a double sum.
    static let negligible = -1100

    /// The weight of `x` relative to the mode; nil once it is negligible (below 2⁻¹¹⁰⁰: its
    /// tail is then 0 in double precision, and the walk stops there).
    func weight(_ x: Double) -> Scaled? {
        let m = mode
        var w = Scaled(mantissa: 1, exponent: 0)
        var k = m
        while k != x {
            if x > k { w.mantissa *= ratio(k); k += 1 } else { w.mantissa /= ratio(k - 1); k -= 1 }
            w.normalise()
            if w.exponent + Int(w.mantissa.exponent) < Self.negligible { return nil }
        }
        return w
    }

    /// Σ of the weights from `start` stepping by `step` (±1) to the end of the support, relative
    /// to the weight of `start` (which is `w`), stopping once terms are negligible.
    func tail(from start: Double, step: Double, weight w: Scaled) -> Scaled {
        var sum = 1.0, term = 1.0
        var k = start
        let end = step > 0 ? highest : lowest
        while k != end {
            term *= step > 0 ? ratio(k) : 1 / ratio(k - 1)
            k += step
            sum += term
            if term < 0x1p-60 * sum { break }
        }
        var out = Scaled(mantissa: w.mantissa * sum, exponent: w.exponent)
        out.normalise()
        return out
    }

    /// Σ of all weights (relative to the mode).
    func normaliser() -> Double {
        let m = mode
        let up = m < highest ? tail(from: m + 1, step: 1, weight: Scaled(mantissa: ratio(m), exponent: 0)).value : 0
        let down = m > lowest ? tail(from: m - 1, step: -1, weight: Scaled(mantissa: 1 / ratio(m - 1), exponent: 0)).value : 0
        return 1 + up + down
    }

    /// `a / z` for a scaled weight and a plain normaliser.
    static func divide(_ a: Scaled, _ z: Double) -> Double { scalbn(a.mantissa / z, a.exponent) }

    /// The first x (from `start` stepping by `step`) whose weight is at most `bound`, or nil.
    func firstAtMost(_ bound: Scaled, from start: Double, step: Double) -> (Double, Scaled)? {
        var k = start
        var w = Scaled(mantissa: 1, exponent: 0)  // start is the mode
        let end = step > 0 ? highest : lowest
        while true {
            if Self.compare(w, bound) <= 0 { return (k, w) }
            if k == end { return nil }
            w.mantissa *= step > 0 ? ratio(k) : 1 / ratio(k - 1)
            w.normalise()
            k += step
        }
    }

    /// Compares two scaled weights.
    static func compare(_ a: Scaled, _ b: Scaled) -> Int {
        let x = scalbn(a.mantissa, a.exponent - b.exponent)
        return x < b.mantissa ? -1 : x > b.mantissa ? 1 : 0
    }

    /// The p value of observing `x` under `alternative` (less: P(X ≤ x); greater: P(X ≥ x);
    /// two-sided: scipy's rule).
    func pValue(observed x: Double, _ alternative: Alternative) -> Double {
        let z = normaliser()
        guard let wx = weight(x) else {
            // x is beyond 2⁻¹¹⁰⁰ of the mode: its own tail is 0; the other tail is the rest.
            let belowMode = x < mode
            switch alternative {
            case .less: return belowMode ? 0 : 1
            case .greater: return belowMode ? 1 : 0
            case .twoSided: return 0
            }
        }
        let lower = { Self.divide(x > lowest ? tail(from: x, step: -1, weight: wx) : wx, z) }
        let upper = { Self.divide(x < highest ? tail(from: x, step: 1, weight: wx) : wx, z) }
        switch alternative {
        case .less: return lower()
        case .greater: return upper()
        case .twoSided:
            let m = mode
            // scipy: the observed table is (within 1e-14) as probable as the mode: p = 1.
            if abs(wx.value - 1) <= 1e-14 { return 1 }
            var bound = wx
            bound.mantissa *= 1 + 1e-14
            if x < m {
                // The observed lower tail, plus the upper tail from the first table as improbable.
                guard let (k, wk) = firstAtMost(bound, from: m, step: 1) else { return lower() }
                let other = k < highest ? tail(from: k, step: 1, weight: wk) : wk
                return lower() + Self.divide(other, z)
            } else {
                guard let (k, wk) = firstAtMost(bound, from: m, step: -1) else { return upper() }
                let other = k > lowest ? tail(from: k, step: -1, weight: wk) : wk
                return upper() + Self.divide(other, z)
            }
        }
    }
}
