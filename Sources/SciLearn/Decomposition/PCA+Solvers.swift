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

    /// `covariance_eigh`: the cross products of the centred rows, `C = XcᵀXc / (n − 1)`, in one
    /// pass (``TallRows/crossProduct()``, the product ridge uses, rows centred a block at a
    /// time), then `dsyevr`: the top `count` eigenpairs, or all of them when `count` is nil
    /// (a variance fraction) or p. Eigenvalues below zero (rounding, on rank-deficient data) are
    /// clipped to zero, as scikit-learn does.
    static func covarianceEigh(_ x: Matrix, mean: [Double], count: Int?) throws(SciLearnError) -> PCASpectrum {
        let n = x.rows, p = x.columns
        let design = AugmentedDesign(x: x, targets: Matrix(rows: 0, columns: 0), xShift: mean, yShifts: [], leadingOnes: false)
        var c = try design.crossProduct()
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
        return PCASpectrum(explainedVariance: variance, singularValues: variance.map { ($0 * Double(n - 1)).squareRoot() },
                           directions: directions, totalVariance: complete ? variance.reduce(0, +) : trace, spectrumLength: p)
    }

    /// `randomized`: scikit-learn's `randomized_svd` (Halko, Martinsson and Tropp) on the centred
    /// data, the random start from the engine's ``SeededGenerator``: l = k + `n_oversamples`
    /// Gaussian directions (at most min(n, p)), `iterations` power iterations each normalised by
    /// LU with partial pivoting (none when `iterations` ≤ 2, as scikit-learn's `"auto"`
    /// normaliser), an orthonormal basis Q of the range by Householder QR, then the SVD of the
    /// small `Qᵀ·A`. Wide data (n < p) runs on `Xcᵀ`, as scikit-learn's `transpose="auto"`.
    /// Every product with X is a pass of ``CentredProducts``.
    func randomized(_ x: Matrix, mean: [Double], components k: Int, iterations q: Int) throws(SciLearnError) -> PCASpectrum {
        let n = x.rows, p = x.columns
        let sumOfSquares = try CentredProducts(x, mean: mean).totalSumOfSquares()
        let products = CentredProducts(x, mean: mean, totalSumOfSquares: sumOfSquares)
        let transposed = n < p
        // A is n × p (or p × n when transposed): aRows × aColumns.
        let aRows = transposed ? p : n, aColumns = transposed ? n : p
        // k + n_oversamples, at most min(n, p) (and never formed past Int's range).
        let l = nOversamples >= Swift.min(n, p) - k ? Swift.min(n, p) : k + nOversamples
        func a(_ m: [Double]) throws(SciLearnError) -> [Double] {
            transposed ? try products.transposeTimes(m, columns: l) : try products.times(m, columns: l)
        }
        func at(_ m: [Double]) throws(SciLearnError) -> [Double] {
            transposed ? try products.times(m, columns: l) : try products.transposeTimes(m, columns: l)
        }
        var generator = SeededGenerator(seed: seed)
        var basis = (0..<(aColumns * l)).map { _ in generator.nextGaussian() }
        for _ in 0..<q {
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
}
