import Foundation

/// Principal component analysis: the directions of largest variance of the column-centred data
/// and the variance along each, by the singular value decomposition of `X − 1·x̄ᵀ` (or the
/// eigendecomposition of its cross products, or a randomized range finder).
///
/// Matches scikit-learn `PCA(n_components, whiten, svd_solver, n_oversamples, iterated_power)`:
/// its solvers and its `"auto"` rule (1.5+), explained variance with ddof 1, the ratio to the
/// total variance, `noise_variance_`, `n_components` as a count or a variance fraction, and
/// whitening. Every solver passes its components through one sign rule
/// (`ComponentSigns`: in each component the entry of largest magnitude is positive,
/// scikit-learn's `svd_flip(u_based_decision=False)`), so the solvers agree on signs. Unlike
/// scikit-learn's `covariance_eigh`, the cross products of data far from the origin are formed
/// about the column means (the rows centred a block at a time), so such data keeps its digits.
///
/// - Complexity (n rows, p columns, k components): `full` 2·n·p² + O(p³) flops for tall data
///   (a tall-skinny QR, then the SVD of its p × p factor), O(n²·p) for wide data; `covariance_eigh`
///   n·p² + O(p³) (one pass of cross products, two for data far from the origin, then
///   `dsyevr`); `randomized`
///   (4·q + 4)·n·p·l flops with l = k + `n_oversamples` and q power iterations, or, for tall
///   data with p ≤ 4·q·l, p ≤ 1,024 and q ≥ 1, n·p² + 4·n·p·l + q·2·p²·l (the iterations on the
///   cross products; twice the n·p² for data far from the origin). Memory:
///   ``estimatedCost(rows:columns:components:solver:nOversamples:iteratedPower:)``.
public struct PCA: Sendable, Codable, Equatable {
    /// The range of each numeric parameter, checked by ``validate()`` and stated by the service.
    public enum Rules {
        /// An integer `n_components >= 1` (and at most min(n, p), checked by ``fit(_:)``).
        public static let nComponents = ParameterRule.count("n_components", atLeast: 1)
        /// `n_oversamples >= 1` (scikit-learn's `PCA` constraint; `randomized_svd` alone admits 0).
        public static let nOversamples = ParameterRule.count("n_oversamples", atLeast: 1)
        /// An integer `iterated_power >= 0`.
        public static let iteratedPower = ParameterRule.count("iterated_power", atLeast: 0)
        /// The service's `random_state` (``ParameterRule/randomState``).
        public static let randomState = ParameterRule.randomState
    }

    /// How many components to keep.
    public enum Components: Sendable, Codable, Equatable {
        /// min(n, p), scikit-learn's `None`.
        case all
        /// This many (``Rules/nComponents``).
        case count(Int)
        /// The fewest whose explained-variance ratios sum past this fraction, in (0, 1)
        /// (`full` and `covariance_eigh` only, as scikit-learn).
        case fraction(Double)
    }

    /// The decomposition used; scikit-learn's names.
    public enum Solver: String, Sendable, Codable, Equatable, CaseIterable {
        /// scikit-learn 1.5+'s rule: `covariance_eigh` when p ≤ 1,000 and n ≥ 10·p; else
        /// `full` when max(n, p) ≤ 500; else `randomized` for an integer count below
        /// 0.8·min(n, p); else `full`.
        case auto
        /// The exact SVD of the centred data.
        case full
        /// The eigendecomposition of the centred cross products XcᵀXc / (n − 1).
        case covarianceEigh = "covariance_eigh"
        /// Halko, Martinsson and Tropp's randomized SVD with power iterations.
        case randomized
    }

    /// Power iterations of the randomized solver.
    public enum PowerIterations: Sendable, Codable, Equatable {
        /// scikit-learn's `"auto"`: 7 when k < 0.1·min(n, p), else 4.
        case auto
        /// This many (``Rules/iteratedPower``).
        case count(Int)
    }

    /// Components kept. Default `.all`.
    public var nComponents: Components
    /// Whether ``Model/transform(_:)`` scales each component to unit variance. Default false.
    public var whiten: Bool
    /// The solver. Default `.auto`.
    public var solver: Solver
    /// Extra random directions of the randomized solver (``Rules/nOversamples``, at least 1 as
    /// scikit-learn's `PCA` requires). Default 10.
    public var nOversamples: Int
    /// Power iterations of the randomized solver. Default `.auto`.
    public var iteratedPower: PowerIterations
    /// The seed of the randomized solver's ``SeededGenerator``. Default 0.
    public var seed: UInt64

    /// A configuration; ranges are checked by ``fit(_:)``.
    public init(nComponents: Components = .all, whiten: Bool = false, solver: Solver = .auto, nOversamples: Int = 10,
                iteratedPower: PowerIterations = .auto, seed: UInt64 = 0) {
        self.nComponents = nComponents
        self.whiten = whiten
        self.solver = solver
        self.nOversamples = nOversamples
        self.iteratedPower = iteratedPower
        self.seed = seed
    }

    /// Checks every parameter against its ``Rules`` (a fraction must lie in (0, 1)).
    public func validate() throws(SciLearnError) {
        switch nComponents {
        case .all: break
        case .count(let k): try Rules.nComponents.check(k)
        case .fraction(let f):
            guard f > 0 && f < 1 else {
                throw .invalidParameter("n_components", "a fraction of the variance must lie in the open interval (0, 1); got \(f)")
            }
        }
        try Rules.nOversamples.check(nOversamples)
        if case .count(let q) = iteratedPower { try Rules.iteratedPower.check(q) }
    }

    /// The solver `auto` picks for `rows × columns` data, or the one configured.
    public func resolvedSolver(rows n: Int, columns p: Int) -> Solver {
        guard solver == .auto else { return solver }
        if p <= 1_000 && n >= 10 * p { return .covarianceEigh }
        if max(n, p) <= 500 { return .full }
        if case .count(let k) = nComponents, k >= 1, Double(k) < 0.8 * Double(min(n, p)) { return .randomized }
        return .full
    }

    /// The power iterations the randomized solver makes for k components of `rows × columns`.
    func powerIterations(rows n: Int, columns p: Int, components k: Int) -> Int {
        switch iteratedPower {
        case .count(let q): q
        case .auto: Double(k) < 0.1 * Double(min(n, p)) ? 7 : 4
        }
    }

    /// Fits the components of `x` (n × p, n ≥ 2).
    ///
    /// - Throws: `invalidParameter` (a range; `n_components` above min(n, p); a fraction with
    ///   the randomized solver), `invalidData` (`X` with fewer than 2 rows, no columns, a
    ///   non-finite value, or no variance at all), `numericalFailure`, `cancelled`.
    public func fit(_ x: Matrix) throws(SciLearnError) -> Model {
        BLASThreading.pinSingleThreaded()
        try validate()
        let n = x.rows, p = x.columns
        guard n >= 2 else {
            throw .invalidData("X", "has \(n) row\(n == 1 ? "" : "s"); PCA needs at least 2 samples (the variance has n − 1 degrees of freedom)")
        }
        guard p >= 1 else { throw .invalidData("X", "has no columns") }
        let limit = min(n, p)
        if case .count(let k) = nComponents, k > limit {
            throw .invalidParameter("n_components", "must be at most min(n_samples, n_features) = \(limit) (X is \(n) × \(p)); got \(k)")
        }
        let chosen = resolvedSolver(rows: n, columns: p)
        if chosen == .randomized, case .fraction = nComponents {
            throw .invalidParameter("n_components", "a fraction of the variance needs svd_solver \"full\" or \"covariance_eigh\" (the randomized solver computes a fixed number of components)")
        }
        let wanted: Int? = {
            switch nComponents {
            case .all: return limit
            case .count(let k): return k
            case .fraction: return nil
            }
        }()
        // Finiteness and the compensated means in one pass over X (covariance_eigh: from the
        // cross products' own pass where it can give them).
        let validatedMean = { () throws(SciLearnError) -> [Double] in try Validation.finiteColumnMaximaAndMeans(x, name: "X").means.map(\.value) }
        let spectrum: PCASpectrum, mean: [Double]
        switch chosen {
        case .covarianceEigh: (spectrum, mean) = try Self.covarianceEigh(x, count: wanted)
        case .auto, .full:
            mean = try validatedMean()
            spectrum = try Self.full(x, mean: mean)
        case .randomized:
            mean = try validatedMean()
            let k = wanted ?? limit
            spectrum = try randomized(x, mean: mean, components: k, iterations: powerIterations(rows: n, columns: p, components: k))
        }
        guard spectrum.totalVariance.isFinite, spectrum.singularValues.allSatisfy(\.isFinite), spectrum.explainedVariance.allSatisfy(\.isFinite),
              spectrum.directions.storage.allSatisfy(\.isFinite) else {
            throw SciLearnError(.numericalFailure, field: "X", "its variance exceeds the range of a double (deviations from the mean near 1e154 or beyond square past it); rescale X")
        }
        guard spectrum.totalVariance > 0 else {
            throw .invalidData("X", "has no variance: every column is constant (or its deviations from the mean are below 1e-154, whose squares underflow), so there are no principal directions")
        }
        return Model(spectrum, components: wanted, fraction: { if case .fraction(let f) = nComponents { f } else { nil } }(),
                     mean: mean, rows: n, columns: p, whiten: whiten, solver: chosen)
    }

    /// Peak memory and work of ``Model/transform(_:)`` of `rows × columns` data to `components`
    /// components: the projections (and their copy out), the components transposed, the
    /// per-thread centred blocks.
    public static func transformCost(rows n: Int, columns p: Int, components k: Int) -> ComputeCost {
        let nd = Double(n), pd = Double(p), kd = Double(k)
        return ComputeCost(memoryBytes: 8 * (2 * nd * kd + pd * kd) + CentredProducts.bufferBytes(columns: p), flops: 2 * nd * pd * kd,
                           drivenBy: "X: \(n) rows × \(p) columns, \(k) components")
    }

    /// Peak memory and work of a fit of `rows × columns` data to `components` components
    /// (min(n, p) when nil) with `solver` (resolved by ``resolvedSolver(rows:columns:)`` first),
    /// from the shapes alone.
    public static func estimatedCost(rows n: Int, columns p: Int, components: Int?, solver: Solver, nOversamples: Int = 10,
                                     iteratedPower: PowerIterations = .auto) -> ComputeCost {
        let nd = Double(n), pd = Double(p), small = Double(min(n, p)), large = Double(max(n, p))
        let k = Double(components ?? min(n, p))
        let config = PCA(nComponents: components.map { .count($0) } ?? .all, solver: solver, nOversamples: nOversamples, iteratedPower: iteratedPower)
        let threads = Double(Parallel.coreCount)
        var memory: Double, flops: Double
        switch config.resolvedSolver(rows: n, columns: p) {
        case .auto, .full:
            if n >= p {
                // One triangle per TSQR leaf, a block per thread, then Rᵀ, its vectors and the
                // bidiagonal reduction's panels (all p × p or p × 32).
                let leaves = max(1, (nd / Double(TallSkinnyQR.leafRows)).rounded(.up))
                memory = 8 * (leaves * pd * pd + threads * 2 * 512 * pd + 8 * pd * pd + 80 * pd)
                flops = 2 * nd * pd * pd + 12 * pd * pd * pd
            } else {
                // The centred copy, then dgesdd's U, Vᵀ and workspace.
                memory = 8 * (2 * nd * pd + 5 * nd * nd + 8 * nd + pd)
                flops = 6 * nd * nd * pd + 12 * nd * nd * nd
            }
        case .covarianceEigh:
            // The p × p partials and their sum, the eigenvectors (twice), the directions; the
            // cross products twice for data far from the origin (CentredProducts.crossProducts).
            // Priced at the default blocks (``BlockedSum/blockRows``): at least as many as either
            // pass takes (``BlockedSum/rowsPerBlock(partialSize:rowWidth:rows:)``), an upper bound.
            let blocks = Double(BlockedSum.blockCount(rows: n))
            memory = 8 * ((blocks + 1) * pd * pd + threads * 600 * pd + 3 * pd * k + 30 * pd)
            flops = 2 * nd * pd * pd + 4 * pd * pd * pd
        case .randomized:
            let l = min(k + Double(nOversamples), small)
            let iterations = config.powerIterations(rows: n, columns: p, components: Int(k))
            let q = Double(iterations)
            let blocks = Double(BlockedSum.blockCount(rows: n))
            // Y (n or p × l) twice (result and copy), the block partials, the basis, B's SVD.
            memory = 8 * (3 * large * l + blocks * pd * l + 4 * small * l + 6 * l * l + pd) + CentredProducts.bufferBytes(columns: p)
            if PCA.powerIterationsOnCrossProducts(rows: n, columns: p, oversampled: Int(l), iterations: iterations) {
                // The cross products as covariance_eigh forms them, then q products G·W and QRs
                // of p × l, then the two final passes.
                memory += 8 * ((blocks + 1) * pd * pd + threads * 600 * pd)
                flops = 2 * nd * pd * pd + 4 * nd * pd * l + q * (2 * pd * pd * l + 4 * pd * l * l) + 6 * large * l * l + (q + 2) * 1e6
            } else {
                // Each of the 2q + 2 passes also has a fixed cost (buffers, a factorisation, the
                // threads' hand-off) of some microseconds, counted as 1e6 flops: a small X with a
                // huge iterated_power is refused by its pass count, not run for hours.
                flops = (4 * q + 4) * nd * pd * l + (2 * q + 6) * large * l * l + (2 * q + 2) * 1e6
            }
        }
        return ComputeCost(memoryBytes: memory, flops: flops,
                           drivenBy: "X: \(n) rows × \(p) columns, \(components.map(String.init) ?? "all") components")
    }
}
