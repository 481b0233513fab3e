import Testing
@testable import SciLearn

/// The running sums Lloyd's and Elkan's passes carry (`CentreSums`): after many passes that move
/// only the changed rows, the sums are still exactly those of the current labels (unrounded, the
/// error the full pass they started from aside), and the weights are the exact counts.
@Suite struct CentreSumsTests {
    /// Rows with an offset of 1e6 and unit spread, so that moving rows in and out of a sum
    /// cancels most of its digits each time (a plain running sum would drift by about an ulp
    /// of 1e6·count per move); 60 passes each relabel 1-10% of the rows at random; the moves go
    /// piece by piece, as `LloydPass` makes them. Checked after every pass against the exact sums
    /// of the current labels (integers in units of 2^-40).
    @Test func movesKeepTheSumsOfTheCurrentLabels() throws {
        let n = 4_099, d = 3, k = 5
        var g = SeededGenerator(seed: 3)
        var values = [Double](repeating: 0, count: n * d)
        for i in 0..<(n * d) { values[i] = (i % 2 == 0 ? 1e6 : -3e5) + (g.nextUnit() - 0.5) * 2 }
        let data = try KMeansData(Matrix(rows: n, columns: d, columnMajor: values), sampleWeight: nil)
        let x = data.values.array
        // Every centred value is at least 2^18 in magnitude, so a multiple of 2^-34: sums of
        // them, and the errors of their additions, are exact integers in units of 2^-40.
        #expect(x.allSatisfy { abs($0) >= 0x1p18 })
        let pieces = LloydPass.pieces(rows: n, clusters: k, columns: d)
        var labels = (0..<n).map { _ in Int32(Int(g.nextUnit() * Double(k)) % k) }
        var running = CentreSums(full: pieces.map { Self.fullPiece(x, rows: n, columns: d, clusters: k, labels: labels, range: $0) })
        // The full pass's own rounding (its rows added in order), which the moves carry forward.
        let first = Self.exact(x, rows: n, columns: d, clusters: k, labels: labels)
        let initial = first.indices.map { first[$0] - Self.units(running.sums[$0]) }
        var worst = 0.0
        for pass in 0..<60 {
            let previous = labels
            let fraction = 0.01 + 0.09 * Double(pass % 10) / 9
            for i in 0..<n where g.nextUnit() < fraction { labels[i] = Int32(Int(g.nextUnit() * Double(k)) % k) }
            let moves = labels.withUnsafeBufferPointer { l in
                previous.withUnsafeBufferPointer { p in
                    pieces.map { CentreSums.moves(data, rows: $0, clusters: k, labels: l.baseAddress! + $0.lowerBound, previous: p.baseAddress! + $0.lowerBound) }
                }
            }
            #expect(moves.reduce(0) { $0 + $1.moved } == zip(labels, previous).count { $0 != $1 })
            running.move(moves)
            let exact = Self.exact(x, rows: n, columns: d, clusters: k, labels: labels)
            // Unrounded, the running sums are the exact sums of the current labels less the
            // full pass's error, to the unit.
            for e in exact.indices {
                #expect(Self.units(running.sums[e]) + Self.units(running.lo[e]) == exact[e] - initial[e], "pass \(pass), element \(e)")
            }
            let (sums, weights) = running.rounded
            for c in 0..<k {
                #expect(weights[c] == Double(labels.count { $0 == c }), "pass \(pass), centre \(c): the weight is the count")
                for j in 0..<d {
                    // Rounded: within half an ulp of that (the full pass's error aside).
                    let target = Double(exact[c * d + j] - initial[c * d + j]) / 0x1p40
                    worst = max(worst, abs(sums[c * d + j] - target) / target.ulp)
                    #expect(abs(sums[c * d + j] - target) <= target.ulp / 2, "pass \(pass), centre \(c), feature \(j)")
                }
            }
        }
        print("CentreSums: worst rounding after moves \(worst) ulp")
    }

    /// `v` in units of 2^-40 (exact for these data's values, sums and rounding errors).
    static func units(_ v: Double) -> Int128 {
        let scaled = v * 0x1p40
        precondition(scaled == scaled.rounded(), "\(v) is not a multiple of 2^-40")
        return Int128(scaled)
    }

    /// Each centre's exact sums (k × d) in units of 2^-40.
    static func exact(_ x: [Double], rows n: Int, columns d: Int, clusters k: Int, labels: [Int32]) -> [Int128] {
        var out = [Int128](repeating: 0, count: k * d)
        for i in 0..<n { for j in 0..<d { out[Int(labels[i]) * d + j] += units(x[i + j * n]) } }
        return out
    }

    /// The full sums of `range` (what `LloydPass`'s kernel adds up: rows in order).
    static func fullPiece(_ x: [Double], rows n: Int, columns d: Int, clusters k: Int, labels: [Int32], range: Range<Int>) -> CentreSums.Piece {
        var sums = [Double](repeating: 0, count: k * d), weights = [Double](repeating: 0, count: k)
        for i in range {
            let c = Int(labels[i])
            for j in 0..<d { sums[c * d + j] += x[i + j * n] }
            weights[c] += 1
        }
        return CentreSums.Piece(sums: sums, lo: [], weights: weights, moved: 0)
    }
}
