/// The means, centred sums of squares and centred cross product of paired samples, in one pass
/// over memory, blocked and merged as ``Moments`` (Chan's formula for the co-moment:
/// `C = Cᵃ + Cᵇ + δx·δy·nᵃnᵇ/n`); bit-for-bit the same for any thread count.
///
/// - Complexity: O(n), one read of each sample.
public struct CoMoments: Sendable, Hashable {
    /// The number of pairs.
    public var count: Double
    /// The first pair, from which the values are measured (so that means near 10⁹ keep their
    /// digits in every difference).
    public var shiftX: Double, shiftY: Double
    /// The means less the shifts.
    var centreX: Double, centreY: Double
    /// The mean of x.
    public var meanX: Double { shiftX + centreX }
    /// The mean of y.
    public var meanY: Double { shiftY + centreY }
    /// Σ (x − x̄)², Σ (y − ȳ)², Σ (x − x̄)(y − ȳ).
    public var sxx: Double, syy: Double, sxy: Double
    /// The extremes of x and y.
    var minX: Double, maxX: Double, minY: Double, maxY: Double

    /// Whether x is constant.
    public var constantX: Bool { minX == maxX }
    /// Whether y is constant.
    public var constantY: Bool { minY == maxY }

    /// The co-moments of two samples of the same length (at least one pair).
    public static func of(_ x: [Double], _ y: [Double]) throws(SciLearnError) -> CoMoments {
        precondition(x.count == y.count && !x.isEmpty, "CoMoments requires paired, non-empty samples")
        let n = x.count
        let blocks = (n + Moments.blockLength - 1) / Moments.blockLength
        let chunks = (blocks + Moments.chunkBlocks - 1) / Moments.chunkBlocks
        return try x.withUnsafeBufferPointer { (xb) throws(SciLearnError) -> CoMoments in
            try y.withUnsafeBufferPointer { (yb) throws(SciLearnError) -> CoMoments in
                let xp = ReadOnlyPointer(xb.baseAddress!), yp = ReadOnlyPointer(yb.baseAddress!)
                let sx = xb[0], sy = yb[0]
                let parts = try Parallel.map(chunks, work: 2 * n) { (c: Int) -> CoMoments in
                    var acc: CoMoments? = nil
                    let first = c * Moments.chunkBlocks, last = min(blocks, first + Moments.chunkBlocks)
                    for b in first..<last {
                        let start = b * Moments.blockLength, end = min(n, start + Moments.blockLength)
                        let m = block(xp.pointer + start, yp.pointer + start, end - start, sx, sy)
                        acc = acc.map { $0.merged(m) } ?? m
                    }
                    return acc!
                }
                var out = parts[0]
                for p in parts.dropFirst() { out = out.merged(p) }
                if out.constantX { out.sxx = 0; out.sxy = 0; out.centreX = 0 }
                if out.constantY { out.syy = 0; out.sxy = 0; out.centreY = 0 }
                return out
            }
        }
    }

    func merged(_ o: CoMoments) -> CoMoments {
        let n = count + o.count
        let dx = o.centreX - centreX, dy = o.centreY - centreY
        let w = count * o.count / n
        return CoMoments(count: n, shiftX: shiftX, shiftY: shiftY, centreX: centreX + dx * (o.count / n), centreY: centreY + dy * (o.count / n),
                         sxx: sxx + o.sxx + dx * dx * w, syy: syy + o.syy + dy * dy * w, sxy: sxy + o.sxy + dx * dy * w,
                         minX: min(minX, o.minX), maxX: max(maxX, o.maxX), minY: min(minY, o.minY), maxY: max(maxY, o.maxY))
    }

    static func block(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int, _ shiftX: Double, _ shiftY: Double) -> CoMoments {
        let mx = VectorSum.sum(x, n, minus: shiftX) / Double(n), my = VectorSum.sum(y, n, minus: shiftY) / Double(n)
        let vsx = SIMD4<Double>(repeating: shiftX), vsy = SIMD4<Double>(repeating: shiftY)
        var dx = SIMD4<Double>(repeating: 0), dy = dx, xx = dx, yy = dx, xy = dx
        var xlo = SIMD4<Double>(repeating: .infinity), xhi = -xlo, ylo = xlo, yhi = xhi
        let vmx = SIMD4<Double>(repeating: mx), vmy = SIMD4<Double>(repeating: my)
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var i = 0
        while i + 4 <= n {
            let u = rx.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            let v = ry.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            let a = (u - vsx) - vmx, b = (v - vsy) - vmy
            dx += a; dy += b; xx += a * a; yy += b * b; xy += a * b
            xlo = pointwiseMin(xlo, u); xhi = pointwiseMax(xhi, u)
            ylo = pointwiseMin(ylo, v); yhi = pointwiseMax(yhi, v)
            i += 4
        }
        var sdx = dx.sum(), sdy = dy.sum(), sxx = xx.sum(), syy = yy.sum(), sxy = xy.sum()
        var xmin = xlo.min(), xmax = xhi.max(), ymin = ylo.min(), ymax = yhi.max()
        while i < n {
            let a = (x[i] - shiftX) - mx, b = (y[i] - shiftY) - my
            sdx += a; sdy += b; sxx += a * a; syy += b * b; sxy += a * b
            xmin = min(xmin, x[i]); xmax = max(xmax, x[i]); ymin = min(ymin, y[i]); ymax = max(ymax, y[i])
            i += 1
        }
        let nn = Double(n)
        return CoMoments(count: nn, shiftX: shiftX, shiftY: shiftY, centreX: mx + sdx / nn, centreY: my + sdy / nn,
                         sxx: Moments.nonNegative(sxx - sdx * sdx / nn), syy: Moments.nonNegative(syy - sdy * sdy / nn), sxy: sxy - sdx * sdy / nn,
                         minX: xmin, maxX: xmax, minY: ymin, maxY: ymax)
    }
}
