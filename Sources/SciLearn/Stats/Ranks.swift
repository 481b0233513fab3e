/// Average ranks (1-based, ties sharing the mean of their positions, as scipy.stats `rankdata`)
/// and the tie term Σ (t³ − t) over the groups of equal values, from one sort.
///
/// - Complexity: O(n log n) for the sort, O(n) after.
public struct Ranks: Sendable, Hashable {
    /// The rank of each value, in the input's order.
    public var ranks: [Double]
    /// Σ (t³ − t) over the groups of t equal values (0 without ties).
    public var tieTerm: Double
    /// The sizes of the groups of equal values larger than one.
    public var tieSizes: [Int]

    /// The ranks of `values` (finite numbers).
    public init(_ values: [Double]) {
        let n = values.count
        let order = values.withUnsafeBufferPointer { v in
            (0..<n).sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
        }
        var ranks = [Double](repeating: 0, count: n)
        var tie = 0.0
        var sizes: [Int] = []
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && values[order[j]] == values[order[i]] { j += 1 }
            let t = j - i
            // Positions i+1 ... j share their mean.
            let rank = Double(i + 1 + j) / 2
            for k in i..<j { ranks[order[k]] = rank }
            if t > 1 { let tt = Double(t); tie += tt * tt * tt - tt; sizes.append(t) }
            i = j
        }
        self.ranks = ranks
        self.tieTerm = tie
        self.tieSizes = sizes
    }
}
