/// Corrections of p values for multiple tests (matches statsmodels `multipletests`): Holm's
/// step-down, Bonferroni, and the false discovery rate procedures of Benjamini-Hochberg and
/// Benjamini-Yekutieli, with which hypotheses are rejected at `alpha`.
///
/// - Complexity: O(m log m) for m p values.
public struct MultipleTesting: Sendable, Hashable, Codable {
    /// The procedure.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// Holm's step-down (controls the family-wise error rate).
        case holm
        /// Bonferroni: each p value times m.
        case bonferroni
        /// Benjamini-Hochberg (false discovery rate, independent or positively dependent tests).
        case fdrBH = "fdr_bh"
        /// Benjamini-Yekutieli (false discovery rate under any dependence).
        case fdrBY = "fdr_by"
    }

    /// The procedure.
    public var method: Method
    /// The family-wise error rate or false discovery rate, in (0, 1).
    public var alpha: Double

    /// The ranges the configuration is held to.
    public enum Rules {
        /// `alpha` in (0, 1).
        public static let alpha = ParameterRule("alpha", lower: .exclusive(0), upper: .exclusive(1))
    }

    /// A correction by `method` at `alpha`.
    public init(method: Method = .holm, alpha: Double = 0.05) {
        self.method = method
        self.alpha = alpha
    }

    /// The corrected tests, in the order of the input.
    public struct Result: Sendable, Hashable, Codable {
        /// Whether each hypothesis is rejected at `alpha`.
        public var reject: [Bool]
        /// The adjusted p values, at most 1.
        public var pValuesCorrected: [Double]
    }

    /// Corrects `pValues` (each in [0, 1], at least one).
    public func correct(_ pValues: [Double]) throws(SciLearnError) -> Result {
        try Rules.alpha.check(alpha)
        guard !pValues.isEmpty else { throw .invalidData("pvals", "is empty; at least one p value is required") }
        for (i, p) in pValues.enumerated() where !(p >= 0 && p <= 1) {
            throw .invalidData("pvals[\(i)]", "must be a p value in [0, 1]; got \(p)")
        }
        let m = pValues.count
        let mm = Double(m)
        if method == .bonferroni {
            let threshold = alpha / mm
            return Result(reject: pValues.map { $0 <= threshold }, pValuesCorrected: pValues.map { min(1, $0 * mm) })
        }
        // Sorted ascending; ties keep their input order (a stable sort), which no output depends on.
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] || (pValues[$0] == pValues[$1] && $0 < $1) }
        let sorted = order.map { pValues[$0] }
        var reject = [Bool](repeating: false, count: m)
        var corrected = [Double](repeating: 0, count: m)
        switch method {
        case .holm:
            var stop = m
            for i in 0..<m where sorted[i] > alpha / Double(m - i) { stop = i; break }
            for i in 0..<stop { reject[i] = true }
            var running = 0.0
            for i in 0..<m { running = max(running, sorted[i] * Double(m - i)); corrected[i] = min(1, running) }
        case .fdrBH, .fdrBY:
            var scale = 1.0
            if method == .fdrBY {
                scale = PairwiseSum.sum((1...m).map { 1 / Double($0) })
            }
            var last = -1
            for i in 0..<m {
                let factor = Double(i + 1) / mm / scale
                if sorted[i] <= factor * alpha { last = i }
            }
            if last >= 0 { for i in 0...last { reject[i] = true } }
            var running = Double.infinity
            for i in stride(from: m - 1, through: 0, by: -1) {
                let factor = Double(i + 1) / mm / scale
                running = min(running, sorted[i] / factor)
                corrected[i] = min(1, running)
            }
        case .bonferroni:
            break
        }
        var outReject = [Bool](repeating: false, count: m), outCorrected = [Double](repeating: 0, count: m)
        for (k, i) in order.enumerated() { outReject[i] = reject[k]; outCorrected[i] = corrected[k] }
        return Result(reject: outReject, pValuesCorrected: outCorrected)
    }
}
