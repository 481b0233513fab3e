/// The count, mean, centred sum of squares, minimum and maximum of a sample, computed in one
/// pass over memory (matches numpy's `mean` and `var` to rounding).
///
/// The sample is cut into fixed blocks of 4,096 values. Each block is summed (four
/// SIMD accumulators), and its squared deviations from its own mean taken while it is still in
/// cache, with the two-pass correction `Σd² − (Σd)²/n`; blocks are merged in order by Chan's
/// formula `M₂ = M₂ᵃ + M₂ᵇ + δ²·nᵃnᵇ/n`. A sample with mean 10⁹ and unit spread keeps its
/// variance to rounding. Chunks of blocks run on both cores and are merged in chunk order, so
/// the result is bit-for-bit the same for any thread count.
///
/// - Complexity: O(n), one read of the sample from memory.
public struct Moments: Sendable, Hashable {
    /// The number of values.
    public var count: Double
    /// The value every other is measured from (the sample's first): differences of means of
    /// samples near 10⁹ keep their digits when taken between shifted means.
    public var shift: Double
    /// The mean less ``shift``.
    public var shiftedMean: Double
    /// The mean.
    public var mean: Double { shift + shiftedMean }
    /// Σ (x − mean)².
    public var m2: Double
    /// The smallest value.
    public var minimum: Double
    /// The largest value.
    public var maximum: Double

    /// Values per block: fixed, so that rounding never depends on the thread count.
    static let blockLength = 4096
    /// Blocks per parallel chunk.
    static let chunkBlocks = 64

    /// Whether every value is the same (the sample is constant).
    public var isConstant: Bool { minimum == maximum }

    /// The variance with `ddof` delta degrees of freedom: M₂ / (n − ddof).
    public func variance(ddof: Double = 1) -> Double { m2 / (count - ddof) }

    init(count: Double, shift: Double, shiftedMean: Double, m2: Double, minimum: Double, maximum: Double) {
        self.count = count; self.shift = shift; self.shiftedMean = shiftedMean; self.m2 = m2; self.minimum = minimum; self.maximum = maximum
    }

    /// The moments of `values` (at least one), measured from `shift` (the first value when nil).
    public static func of(_ values: [Double], shift: Double? = nil) throws(SciLearnError) -> Moments {
        try values.withUnsafeBufferPointer { (b) throws(SciLearnError) -> Moments in try of(b, shift: shift) }
    }

    /// The moments of a buffer of at least one value, measured from `shift` (the first value
    /// when nil).
    public static func of(_ values: UnsafeBufferPointer<Double>, shift: Double? = nil) throws(SciLearnError) -> Moments {
        precondition(!values.isEmpty, "Moments requires at least one value")
        let n = values.count
        let shift = shift ?? values[0]
        let chunkLength = blockLength * chunkBlocks
        let base = ReadOnlyPointer(values.baseAddress!)
        let parts = try Parallel.map((n + chunkLength - 1) / chunkLength, work: n) { (c: Int) -> Moments in
            chunk(base.pointer, count: n, from: c * chunkLength, shift: shift)
        }
        var out = parts[0]
        for p in parts.dropFirst() { out = out.merged(p) }
        if out.isConstant { out.shiftedMean = out.minimum - shift; out.m2 = 0 }
        return out
    }

    /// The fixed blocks of `0..<count` from `start` (a multiple of the chunk length) through the
    /// end of its chunk, merged in order: the piece of work both parallel loops hand out, so that
    /// a sample's bits are the same whichever loop measured it.
    static func chunk(_ p: UnsafePointer<Double>, count: Int, from start: Int, shift: Double) -> Moments {
        let end = min(count, start + blockLength * chunkBlocks)
        var acc: Moments? = nil
        for blockStart in stride(from: start, to: end, by: blockLength) {
            let m = block(p + blockStart, min(end, blockStart + blockLength) - blockStart, shift: shift)
            acc = acc.map { $0.merged(m) } ?? m
        }
        return acc!
    }

    /// The moments of each of `samples` (each at least one value, measured from its first), the
    /// chunks of all of them in one parallel loop so that many mid-sized samples keep both
    /// cores busy; each sample's result is the bits `of(_:shift:)` gives it.
    public static func of(samples: [[Double]]) throws(SciLearnError) -> [Moments] {
        precondition(samples.allSatisfy { !$0.isEmpty }, "Moments requires at least one value per sample")
        let chunkLength = blockLength * chunkBlocks
        var pieces: [(sample: Int, start: Int)] = []
        for (g, x) in samples.enumerated() {
            for start in stride(from: 0, to: x.count, by: chunkLength) { pieces.append((g, start)) }
        }
        let total = samples.reduce(0) { $0 + $1.count }
        let list = pieces
        let parts = try Parallel.map(list.count, work: total) { (k: Int) -> Moments in
            let (g, start) = list[k]
            return samples[g].withUnsafeBufferPointer { b in chunk(b.baseAddress!, count: b.count, from: start, shift: b[0]) }
        }
        var out: [Moments] = []
        var k = 0
        for g in samples.indices {
            var m = parts[k]
            k += 1
            while k < pieces.count && pieces[k].sample == g { m = m.merged(parts[k]); k += 1 }
            if m.isConstant { m.shiftedMean = m.minimum - m.shift; m.m2 = 0 }
            out.append(m)
        }
        return out
    }

    /// Chan's merge of two disjoint parts (of the same shift).
    func merged(_ o: Moments) -> Moments {
        let n = count + o.count
        let delta = o.shiftedMean - shiftedMean
        return Moments(count: n, shift: shift, shiftedMean: shiftedMean + delta * (o.count / n), m2: m2 + o.m2 + delta * delta * (count * o.count / n),
                       minimum: Swift.min(minimum, o.minimum), maximum: Swift.max(maximum, o.maximum))
    }

    /// The same moments measured from another shift (exact when the shifts are close).
    func reshifted(_ s: Double) -> Moments {
        var m = self
        m.shiftedMean = shiftedMean + (shift - s)
        m.shift = s
        return m
    }

    /// One block: its sum, then (in cache) its deviations, extremes and the two-pass correction.
    static func block(_ p: UnsafePointer<Double>, _ n: Int, shift: Double) -> Moments {
        let centre = VectorSum.sum(p, n, minus: shift) / Double(n)
        var d = SIMD4<Double>(repeating: 0), dd = SIMD4<Double>(repeating: 0)
        var lo = SIMD4<Double>(repeating: .infinity), hi = SIMD4<Double>(repeating: -.infinity)
        let s = SIMD4<Double>(repeating: shift), c = SIMD4<Double>(repeating: centre)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 4 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            let e = (v - s) - c
            d += e
            dd += e * e
            lo = pointwiseMin(lo, v); hi = pointwiseMax(hi, v)
            i += 4
        }
        var ds = d.sum(), dds = dd.sum(), mn = lo.min(), mx = hi.max()
        while i < n {
            let v = p[i], e = (v - shift) - centre
            ds += e; dds += e * e
            mn = Swift.min(mn, v); mx = Swift.max(mx, v)
            i += 1
        }
        return Moments(count: Double(n), shift: shift, shiftedMean: centre + ds / Double(n), m2: nonNegative(dds - ds * ds / Double(n)), minimum: mn, maximum: mx)
    }

    /// A centred sum of squares: rounding below 0 is 0; ∞ − ∞ (squares past the double range)
    /// is ∞, never the 0 that `max(0, nan)` would give.
    static func nonNegative(_ v: Double) -> Double {
        v.isNaN ? .infinity : Swift.max(0, v)
    }
}
