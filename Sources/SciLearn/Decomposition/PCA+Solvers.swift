import CLapack

extension PCA {
    /// `full`: the exact SVD of the centred data. Tall data (n ≥ p): the tall-skinny QR of the
    /// centred rows (``TallSkinnyQR``, centring a block at a time, one pass over X), then the
    /// SVD of the p × p factor: `Xc = Q·R`, `R = U·Σ·Vᵀ` gives `Xc = (Q·U)·Σ·Vᵀ`, so R's right
    /// singular vectors (the left ones of Rᵀ) are the components. Wide data: `dgesdd` of the
    /// centred copy (n × p with n < p, no larger than X).
    static func full(_ x: Matrix, mean: [Double]) throws(SciLearnError) -> PCASpectrum {
        let n = x.rows, p = x.columns
        let design = AugmentedDesign(x: x, targets: Matrix(rows: 0, columns: 0), xShift: mean, yShifts: [], leadingOnes: false)
        let s: [Double]
        var directions: Matrix
        if n >= p {
            let r = try TallSkinnyQR.r(of: design)
            var rt = [Double](repeating: 0, count: p * p)
            for j in 0..<p { for i in 0...j { rt[j + i * p] = r[i + j * p] } }
            try CancellationToken.check()
            let (values, v) = try rt.withUnsafeMutableBufferPointer { (a) throws(SciLearnError) in
                try LAPACK.leftSingularVectors(n: p, a: a.baseAddress!, lda: p)
            }
            s = values
            directions = Matrix(rows: p, columns: p)
            for c in 0..<p { for j in 0..<p { directions[c, j] = v[j + c * p] } }
        } else {
            var centred = [Double](repeating: 0, count: n * p)
            centred.withUnsafeMutableBufferPointer { design.fillDesign(into: $0.baseAddress!, columns: p) }
            try CancellationToken.check()
            let svd = try centred.withUnsafeMutableBufferPointer { (a) throws(SciLearnError) in
                try LAPACK.gesdd(m: n, n: p, a: a.baseAddress!, lda: n, vectors: true)
            }
            s = svd.s
            directions = Matrix(rows: n, columns: p, columnMajor: svd.vt)
        }
        let variance = s.map { $0 * $0 / Double(n - 1) }
        return PCASpectrum(explainedVariance: variance, singularValues: s, directions: directions,
                           totalVariance: variance.reduce(0, +), spectrumLength: min(n, p))
    }

    /// `covariance_eigh`: X validated and its means taken, with the cross products of the centred
    /// rows, `C = XcᵀXc / (n − 1)` (``CentredProducts/crossProductsAndMeans(_:name:)``: in one pass
    /// past 128 columns with AVX2 + FMA, else after a validation pass;
    /// the Gram product (``WideGram``) on X itself less n·x̄x̄ᵀ, or rows centred a block at a time
    /// for data far from the origin), then `dsyevr`: the top `count` eigenpairs, or all of them when `count` is nil
    /// (a variance fraction) or p. Eigenvalues below zero (rounding, on rank-deficient data) are
    /// clipped to zero, as scikit-learn does.
    static func covarianceEigh(_ x: Matrix, count: Int?) throws(SciLearnError) -> (spectrum: PCASpectrum, mean: [Double]) {
        let n = x.rows, p = x.columns
        let (products, mean) = try CentredProducts.crossProductsAndMeans(x, name: "X")
        var c = products
        let scale = 1 / Double(n - 1)
        var trace = 0.0
        for i in 0..<(p * p) { c[i] *= scale }
        for j in 0..<p { trace += c[j + j * p] }
        try CancellationToken.check()
        let wanted = min(count ?? p, p)
        let (values, vectors) = try c.withUnsafeMutableBufferPointer { (a) throws(SciLearnError) in
            try LAPACK.symmetricTopEigen(n: p, a: a.baseAddress!, lda: p, count: wanted)
        }
        let variance = values.map { Swift.max($0, 0) }
        var directions = Matrix(rows: wanted, columns: p)
        for k in 0..<wanted { for j in 0..<p { directions[k, j] = vectors[j + k * p] } }
        let complete = wanted == p
        let spectrum = PCASpectrum(explainedVariance: variance, singularValues: variance.map { ($0 * Double(n - 1)).squareRoot() },
                                   directions: directions, totalVariance: complete ? variance.reduce(0, +) : trace, spectrumLength: p)
        return (spectrum, mean)
    }

    /// `randomized`: scikit-learn's `randomized_svd` (Halko, Martinsson and Tropp) on the centred
    /// data, the random start from the engine's ``SeededGenerator``: l = k + `n_oversamples`
    /// Gaussian directions (at most min(n, p)), `iterations` power iterations each normalised by
    /// LU with partial pivoting (none when `iterations` ≤ 2, as scikit-learn's `"auto"`
    /// normaliser), an orthonormal basis Q of the range by Householder QR, then the SVD of the
    /// small `Qᵀ·A`. Wide data (n < p) runs on `Xcᵀ`, as scikit-learn's `transpose="auto"`.
    /// Every product with X is a pass of ``CentredProducts``, except that tall data whose
    /// power iterations would cost more than its cross products
    /// (``powerIterationsOnCrossProducts(rows:columns:oversampled:iterations:)``) runs them on
    /// `G = XcᵀXc`: one pass forms G (``CentredProducts/crossProducts(_:mean:)``, as
    /// `covariance_eigh` does), each iteration is
    /// then `G·W` (p × p × l) normalised by Householder QR, and only the final range and `Qᵀ·A`
    /// are passes over X. `(XcᵀXc)^q·Ω` spans the same subspace as scikit-learn's alternating
    /// products, so the components are the same to rounding; the protocol's W5 (p = 500, l = 30,
    /// q = 7) does n·p² flops at the Gram product's rate instead of 28·n·p·l at a skinny `dgemm`'s.
    /// `onCrossProducts` overrides the choice (tests run both ways on the same data).
    func randomized(_ x: Matrix, mean: [Double], components k: Int, iterations q: Int,
                    onCrossProducts forced: Bool? = nil) throws(SciLearnError) -> PCASpectrum {
        let n = x.rows, p = x.columns
        let transposed = n < p
        // A is n × p (or p × n when transposed): aRows × aColumns.
        let aRows = transposed ? p : n, aColumns = transposed ? n : p
        // k + n_oversamples, at most min(n, p) (and never formed past Int's range).
        let l = nOversamples >= Swift.min(n, p) - k ? Swift.min(n, p) : k + nOversamples
        let onCrossProducts = !transposed && (forced ?? Self.powerIterationsOnCrossProducts(rows: n, columns: p, oversampled: l, iterations: q))
        var crossProducts: [Double] = []
        let sumOfSquares: Double
        if onCrossProducts {
            crossProducts = try CentredProducts.crossProducts(x, mean: mean)
            sumOfSquares = (0..<p).reduce(0) { $0 + crossProducts[$1 + $1 * p] }
        } else {
            sumOfSquares = try CentredProducts(x, mean: mean).totalSumOfSquares()
        }
        let products = CentredProducts(x, mean: mean, totalSumOfSquares: sumOfSquares)
        func a(_ m: [Double]) throws(SciLearnError) -> [Double] {
            transposed ? try products.transposeTimes(m, columns: l) : try products.times(m, columns: l)
        }
        func at(_ m: [Double]) throws(SciLearnError) -> [Double] {
            transposed ? try products.times(m, columns: l) : try products.transposeTimes(m, columns: l)
        }
        var generator = SeededGenerator(seed: seed)
        var basis = (0..<(aColumns * l)).map { _ in generator.nextGaussian() }
        for _ in 0..<(onCrossProducts ? q : 0) {
            var next = [Double](repeating: 0, count: p * l)
            crossProducts.withUnsafeBufferPointer { g in
                basis.withUnsafeBufferPointer { w in
                    next.withUnsafeMutableBufferPointer { out in
                        cblas_dsymm(CblasColMajor, CblasLeft, CblasUpper, Int32(p), Int32(l), 1, g.baseAddress, Int32(p),
                                    w.baseAddress, Int32(p), 0, out.baseAddress, Int32(p))
                    }
                }
            }
            try next.withUnsafeMutableBufferPointer { (b) throws(SciLearnError) in try LAPACK.orthonormalFactor(m: p, n: l, a: b.baseAddress!, lda: p) }
            basis = next
            try CancellationToken.check()
        }
        for _ in 0..<(onCrossProducts ? 0 : q) {
            var y = try a(basis)
            if q > 2 { try y.withUnsafeMutableBufferPointer { (b) throws(SciLearnError) in try LAPACK.permutedLowerFactor(m: aRows, n: l, a: b.baseAddress!, lda: aRows) } }
            basis = try at(y)
            if q > 2 { try basis.withUnsafeMutableBufferPointer { (b) throws(SciLearnError) in try LAPACK.permutedLowerFactor(m: aColumns, n: l, a: b.baseAddress!, lda: aColumns) } }
        }
        var range = try a(basis)
        try range.withUnsafeMutableBufferPointer { (b) throws(SciLearnError) in try LAPACK.orthonormalFactor(m: aRows, n: l, a: b.baseAddress!, lda: aRows) }
        // Bᵀ = Aᵀ·Q (aColumns × l); its SVD U'·s·W'ᵀ gives B = W'·s·U'ᵀ.
        var bt = try at(range)
        try CancellationToken.check()
        let svd = try bt.withUnsafeMutableBufferPointer { (b) throws(SciLearnError) in
            try LAPACK.gesdd(m: aColumns, n: l, a: b.baseAddress!, lda: aColumns, vectors: true)
        }
        var directions = Matrix(rows: k, columns: p)
        if !transposed {
            // The right singular vectors of A = Xc: the columns of U' (p × l).
            for c in 0..<k { for j in 0..<p { directions[c, j] = svd.u[j + c * p] } }
        } else {
            // A = Xcᵀ: Xc's right singular vectors are A's left ones, Q·W' (p × l), W' = (W'ᵀ)ᵀ.
            for c in 0..<k {
                for j in 0..<p {
                    var v = 0.0
                    for t in 0..<l { v += range[j + t * p] * svd.vt[c + t * l] }
                    directions[c, j] = v
                }
            }
        }
        let s = Array(svd.s[0..<k])
        let total = sumOfSquares / Double(n - 1)
        return PCASpectrum(explainedVariance: s.map { $0 * $0 / Double(n - 1) }, singularValues: s, directions: directions,
                           totalVariance: total, spectrumLength: Swift.min(n, p))
    }

    /// Widest data whose randomized power iterations may run on the p × p cross products (their
    /// fixed-order block partials are (blocks + 1)·p² doubles: 136 MB at p = 1,024 on 16 blocks).
    static var crossProductIterationWidth: Int { 1_024 }

    /// Whether the randomized solver's q power iterations run on `G = XcᵀXc` (tall data, p at
    /// most ``crossProductIterationWidth``): when forming G (n·p² flops) costs no more than the
    /// 4·q·n·p·l flops of the passes it replaces. It then also runs at the Gram product's rate, about
    /// 1.7 times a skinny `dgemm`'s at l = 30 on this machine's kind.
    static func powerIterationsOnCrossProducts(rows n: Int, columns p: Int, oversampled l: Int, iterations q: Int) -> Bool {
        // In doubles: `iterated_power` and `n_oversamples` come from requests, unbounded.
        n >= p && p <= crossProductIterationWidth && q >= 1 && Double(p) <= 4 * Double(q) * Double(l)
    }
}
