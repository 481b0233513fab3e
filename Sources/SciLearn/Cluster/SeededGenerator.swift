import Foundation

/// The engine's random number generator: xoshiro256** (Blackman and Vigna, 2018), its state
/// filled from the seed by SplitMix64, as its authors recommend.
///
/// The same seed gives the same sequence on every machine, in every build and whatever the
/// thread count: the engine draws from it only on the calling thread, in a fixed order. It is
/// not NumPy's generator, so a seeded fit is reproducible against itself, not draw for draw
/// against scikit-learn's `random_state`.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var z = seed
        func splitMix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var v = z
            v = (v ^ (v >> 30)) &* 0xBF58_476D_1CE4_E5B9
            v = (v ^ (v >> 27)) &* 0x94D0_49BB_1331_11EB
            return v ^ (v >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in `0..<bound` (bound ≥ 1), by Lemire's multiply-and-reject: exact,
    /// and fixed here rather than left to the standard library's `random(in:)`.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound >= 1, "nextIndex(below:) needs a bound of at least 1")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniform double in [0, 1): the top 53 bits of ``next()``.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal draw by Marsaglia's polar method (uniform pairs in the unit disc, one
    /// of the two normals kept): only `sqrt` and `log` on top of ``nextUnit()``, so the
    /// sequence is fixed by the seed.
    public mutating func nextGaussian() -> Double {
        while true {
            let u = 2 * nextUnit() - 1, v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * Foundation.log(s) / s).squareRoot() }
        }
    }
}
