#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The power of two that brings samples whose squares would overflow or underflow (magnitudes
/// beyond 10^±140) back to magnitude one: multiplying by it is exact, so a test's scale-free
/// statistics (t, F, r) are those of the data as given, and its scaled outputs (means,
/// intervals) are divided back exactly.
enum SquareSafeScale {
    /// The factor for data whose largest magnitude is `maxAbs`; nil when its squares are safe.
    static func factor(maxAbs: Double, limit: Double = 1e140) -> Double? {
        guard maxAbs.isFinite, maxAbs > 0, maxAbs > limit || maxAbs < 1 / limit else { return nil }
        // At most 2¹⁰⁰⁰ up: subnormal data (down to 2⁻¹⁰⁷⁴) comes to about 2⁻⁷⁴, whose squares
        // and fourth powers are still normal, without the factor itself overflowing.
        return scalbn(1.0, Swift.min(1000, -Int(maxAbs.exponent)))
    }

    /// The factor for samples described by `moments`; nil when their squares are safe.
    static func factor(_ moments: [Moments]) -> Double? {
        factor(maxAbs: moments.map { max(abs($0.minimum), abs($0.maximum)) }.max() ?? 0)
    }

    /// `values` times `factor`.
    static func scaled(_ values: [Double], by factor: Double) -> [Double] { values.map { $0 * factor } }
}
