#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An unevaluated sum `hi + lo` carrying about 106 bits of significand, built on fused
/// multiply-add (Dekker / Knuth error-free transformations).
///
/// Used where a residual or a sum must be formed more accurately than `Double` allows
/// (iterative refinement of least-squares solutions, accurate column means); portable, unlike
/// `Float80`.
@usableFromInline
struct DoubleDouble: Sendable {
    @usableFromInline var hi: Double
    @usableFromInline var lo: Double

    @inlinable init(_ hi: Double, _ lo: Double = 0) {
        self.hi = hi
        self.lo = lo
    }

    @inlinable var value: Double { hi + lo }

    /// Exact sum of two doubles (Knuth's TwoSum).
    @inlinable static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let bb = s - a
        let err = (a - (s - bb)) + (b - bb)
        return DoubleDouble(s, err)
    }

    /// Exact product of two doubles (TwoProduct by FMA).
    @inlinable static func twoProduct(_ a: Double, _ b: Double) -> DoubleDouble {
        let p = a * b
        return DoubleDouble(p, (-p).addingProduct(a, b))
    }

    @inlinable static func + (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        var s = twoSum(x.hi, y.hi)
        s.lo += x.lo + y.lo
        return quickTwoSum(s.hi, s.lo)
    }

    @inlinable static func + (x: DoubleDouble, y: Double) -> DoubleDouble {
        var s = twoSum(x.hi, y)
        s.lo += x.lo
        return quickTwoSum(s.hi, s.lo)
    }

    @inlinable static prefix func - (x: DoubleDouble) -> DoubleDouble {
        DoubleDouble(-x.hi, -x.lo)
    }

    @inlinable static func * (x: DoubleDouble, y: Double) -> DoubleDouble {
        var p = twoProduct(x.hi, y)
        p.lo += x.lo * y
        return quickTwoSum(p.hi, p.lo)
    }

    @inlinable static func * (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        var p = twoProduct(x.hi, y.hi)
        p.lo += x.hi * y.lo + x.lo * y.hi
        return quickTwoSum(p.hi, p.lo)
    }

    /// Both parts scaled by 2^`e` (exact while neither over- nor underflows).
    @inlinable func scaled(_ e: Int) -> DoubleDouble { DoubleDouble(scalbn(hi, e), scalbn(lo, e)) }

    @inlinable static func / (x: DoubleDouble, y: Double) -> DoubleDouble {
        let q1 = x.hi / y
        let r = x + (-twoProduct(q1, y))
        let q2 = r.hi / y
        return quickTwoSum(q1, q2)
    }

    /// Renormalises when `|a| >= |b|` is known.
    @inlinable static func quickTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(s, b - (s - a))
    }
}
