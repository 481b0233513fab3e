#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SpecialFunctions {
    /// The regularized incomplete gamma functions `P(s, x)` and `Q(s, x) = 1 − P(s, x)`, each
    /// accurate in relative terms (matches scipy.special `gammainc` / `gammaincc`), for s > 0,
    /// x ≥ 0.
    ///
    /// The smaller of the two is always computed directly: the power series for `P` below
    /// `x = s + 1`, Legendre's continued fraction for `Q` above it (modified Lentz), each times
    /// the prefactor `xˢ e⁻ˣ / Γ(s)`, which for s ≥ 8 is formed as
    /// `√(s/2π) · exp(−s·(λ − 1 − ln λ) − δ(s))` (λ = x/s, δ the Stirling correction), so that no
    /// large logarithms cancel. s = ½ and s = 1 are closed forms (erf / erfc, exp / expm1).
    ///
    /// - Complexity: O(√s) terms near x ≈ s, a few dozen elsewhere.
    public static func regularizedGamma(_ s: Double, _ x: Double) -> (p: Double, q: Double) {
        precondition(s > 0, "regularizedGamma requires s > 0")
        if x.isNaN { return (.nan, .nan) }
        if x <= 0 { return (0, 1) }
        if x.isInfinite { return (1, 0) }
        if s == 0.5 { let r = x.squareRoot(); return (erf(r), erfc(r)) }
        if s == 1 { return (-expm1(-x), exp(-x)) }
        let front = gammaPrefactor(s, x)
        if x < s + 1 {
            if front == 0 { return (0, 1) }
            // P = front/s · Σ xᵏ / ((s+1)…(s+k)); terms shrink like exp(−k²/2s) near x ≈ s.
            var term = 1.0, sum = 1.0, k = 1.0
            let cap = 1000 + 40 * s.squareRoot()
            while k < cap {
                term *= x / (s + k)
                sum += term
                if term < sum * 1e-17 { break }
                k += 1
            }
            let p = front / s * sum
            return (p, 1 - p)
        }
        if front == 0 { return (1, 0) }
        let tiny = 1e-300
        var b = x + 1 - s, c = 1 / tiny, d = 1 / b, h = d
        var i = 1.0
        let cap = 1000 + 40 * s.squareRoot()
        while i < cap {
            let an = -i * (i - s)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        let q = front * h
        return (1 - q, q)
    }

    /// `xˢ e⁻ˣ / Γ(s)` without cancellation (s ≥ 8: through the Stirling correction).
    static func gammaPrefactor(_ s: Double, _ x: Double) -> Double {
        if s >= 8 {
            // λ − 1 − ln λ, λ = x/s: by the series near λ = 1, by ln λ directly away from it
            // (where 1 + (λ − 1) would lose the digits of a small λ).
            let t = (x - s) / s
            let phi = abs(t) <= 0.375 ? logOnePlusXMinusX(t) : t - log(x / s)
            return (s / (2 * Double.pi)).squareRoot() * exp(-s * phi - stirlingCorrection(s))
        }
        return exp(s * log(x) - x - logGamma(s))
    }

    /// The inverse of the regularized incomplete gamma function: the x ≥ 0 with `P(s, x) = p`,
    /// where `q = 1 − p` is passed separately so that either tail is exact (matches scipy.special
    /// `gammaincinv` / `gammainccinv`). Newton's method on the logarithm of the smaller tail,
    /// safeguarded by a bracket, from the tail power law or the Wilson-Hilferty start.
    public static func inverseRegularizedGamma(_ s: Double, p: Double, q: Double) -> Double {
        precondition(s > 0, "inverseRegularizedGamma requires s > 0")
        precondition(p >= 0 && q >= 0, "inverseRegularizedGamma requires p, q in [0, 1]")
        if p == 0 { return 0 }
        if q == 0 { return .infinity }
        let useLower = p <= q
        let target = useLower ? p : q
        // Lower tail: P ≈ xˢ/Γ(s + 1), so x ≈ (p·Γ(s + 1))^(1/s); its log never underflows.
        let logPower = (log(p) + logGamma(s + 1)) / s
        var x: Double
        if useLower && logPower < log(0.2 * max(1, s)) && logPower < -1 {
            x = exp(logPower)
            if x == 0 { return x }
        } else {
            let z = useLower ? -StandardNormal.upperQuantile(p) : StandardNormal.upperQuantile(q)
            let c = 1 - 1 / (9 * s) + z / (3 * s.squareRoot())
            x = c > 0 ? s * c * c * c : exp(logPower)
            if !(x > 0) || !x.isFinite { x = s }
        }
        var lo = 0.0, hi = Double.infinity
        for _ in 0..<400 {
            let v = regularizedGamma(s, x)
            let value = useLower ? v.p : v.q
            if value == target { return x }
            // P increases with x, Q decreases.
            if (useLower ? value < target : value > target) { lo = x } else { hi = x }
            // d log(tail)/d log x = ± x·density / tail, density = xˢ⁻¹e⁻ˣ/Γ(s).
            let elasticity = (useLower ? 1.0 : -1.0) * gammaPrefactor(s, x) / value
            // log(value/target), not a difference of logs: near 1e-300 those agree to ~1e-13.
            var next = x * exp(-log(value / target) / elasticity)
            if !(next > lo && next < hi) || !next.isFinite || value == 0 || value.isNaN || !elasticity.isFinite || elasticity == 0 {
                if hi.isInfinite {
                    next = x * 4
                } else if lo > 0 && hi / lo > 4 {
                    next = lo.squareRoot() * hi.squareRoot()  // lo·hi may underflow
                } else if lo == 0 {
                    next = hi / 8
                } else {
                    next = 0.5 * (lo + hi)
                }
            }
            if abs(next - x) <= 2 * Double.ulpOfOne * next || (hi.isFinite && hi - lo <= 2 * Double.ulpOfOne * hi) {
                return next
            }
            if next == 0 { return Double.leastNonzeroMagnitude }
            x = next
        }
        return x
    }
}
