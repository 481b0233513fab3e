import CLapack

extension PCA {
    /// A fitted PCA (scikit-learn's fitted `PCA` attributes): what ``transform(_:)`` and
    /// ``inverseTransform(_:)`` need, and the spectrum.
    public struct Model: Sendable, Codable, Equatable {
        /// The principal axes, k × p, one unit-norm component per row, by decreasing explained
        /// variance, signs by `ComponentSigns` (`components_`).
        public let components: Matrix
        /// The variance (ddof 1) along each component (`explained_variance_`).
        public let explainedVariance: [Double]
        /// Each component's share of the total variance (`explained_variance_ratio_`).
        public let explainedVarianceRatio: [Double]
        /// The singular values of the centred data along each component (`singular_values_`).
        public let singularValues: [Double]
        /// The column means subtracted before projecting (`mean_`).
        public let mean: [Double]
        /// The number of components kept, k (`n_components_`).
        public let nComponents: Int
        /// The mean variance of the discarded directions, 0 when none were (`noise_variance_`,
        /// the probabilistic PCA model's isotropic noise).
        public let noiseVariance: Double
        /// Whether ``transform(_:)`` scales each component to unit variance.
        public let whiten: Bool
        /// The solver that ran (`auto` resolved).
        public let solver: Solver
        /// Rows of the training data (`n_samples_`).
        public let nSamples: Int

        /// A model from its parts (a fit's result read back): `components` k × p, one variance
        /// per component, one mean per column.
        ///
        /// - Precondition: the counts agree.
        public init(components: Matrix, explainedVariance: [Double], explainedVarianceRatio: [Double], singularValues: [Double],
                    mean: [Double], noiseVariance: Double, whiten: Bool, solver: Solver, nSamples: Int) {
            precondition(explainedVariance.count == components.rows && mean.count == components.columns
                         && explainedVarianceRatio.count == components.rows && singularValues.count == components.rows,
                         "one variance, ratio and singular value per component, one mean per column")
            self.components = components
            self.explainedVariance = explainedVariance
            self.explainedVarianceRatio = explainedVarianceRatio
            self.singularValues = singularValues
            self.mean = mean
            self.nComponents = components.rows
            self.noiseVariance = noiseVariance
            self.whiten = whiten
            self.solver = solver
            self.nSamples = nSamples
        }

        enum CodingKeys: String, CodingKey {
            case components, explainedVariance, explainedVarianceRatio, singularValues, mean, nComponents, noiseVariance, whiten, solver, nSamples
        }

        /// Decodes a model, refusing one whose counts disagree (one variance, ratio and singular
        /// value per component, one mean per column) rather than failing later in `transform`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let components = try c.decode(Matrix.self, forKey: .components)
            let variance = try c.decode([Double].self, forKey: .explainedVariance)
            let ratio = try c.decode([Double].self, forKey: .explainedVarianceRatio)
            let singular = try c.decode([Double].self, forKey: .singularValues)
            let mean = try c.decode([Double].self, forKey: .mean)
            let k = try c.decode(Int.self, forKey: .nComponents)
            let k0 = components.rows
            guard k == k0, variance.count == k0, ratio.count == k0, singular.count == k0, mean.count == components.columns else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                    "PCA.Model: \(k0) components of \(components.columns) values need n_components \(k0), \(k0) variances, ratios and singular values and \(components.columns) means"))
            }
            self.init(components: components, explainedVariance: variance, explainedVarianceRatio: ratio, singularValues: singular, mean: mean,
                      noiseVariance: try c.decode(Double.self, forKey: .noiseVariance), whiten: try c.decode(Bool.self, forKey: .whiten),
                      solver: try c.decode(Solver.self, forKey: .solver), nSamples: try c.decode(Int.self, forKey: .nSamples))
        }

        /// The common steps after any solver: k from a count or a variance fraction
        /// (scikit-learn's `searchsorted(cumsum(ratio), fraction, side="right") + 1`), the noise
        /// variance, the truncation and the sign rule.
        init(_ s: PCASpectrum, components wanted: Int?, fraction: Double?, mean: [Double], rows n: Int, columns p: Int,
             whiten: Bool, solver: Solver) {
            let total = s.totalVariance
            let ratio = s.explainedVariance.map { $0 / total }
            var k: Int
            if let fraction {
                var cumulative = 0.0
                k = 0
                for r in ratio {
                    cumulative += r
                    if cumulative <= fraction { k += 1 } else { break }
                }
                k = min(k + 1, ratio.count)
            } else {
                k = min(wanted ?? min(n, p), s.explainedVariance.count)
            }
            var noise = 0.0
            if k < min(n, p) {
                if s.isComplete {
                    let tail = s.explainedVariance[k..<s.spectrumLength]
                    noise = tail.reduce(0, +) / Double(tail.count)
                } else {
                    noise = (total - s.explainedVariance[0..<k].reduce(0, +)) / Double(s.spectrumLength - k)
                }
                // A difference of near-equal totals can round below zero; a variance cannot be.
                noise = Swift.max(noise, 0)
            }
            var components = Matrix(rows: k, columns: p)
            for j in 0..<p { for c in 0..<k { components[c, j] = s.directions[c, j] } }
            ComponentSigns.apply(to: &components)
            self.init(components: components, explainedVariance: Array(s.explainedVariance[0..<k]), explainedVarianceRatio: Array(ratio[0..<k]),
                      singularValues: Array(s.singularValues[0..<k]), mean: mean, noiseVariance: noise, whiten: whiten, solver: solver, nSamples: n)
        }

        /// The projection of `x` (m × p) on the components, `(x − mean)·componentsᵀ` (m × k),
        /// each column divided by √explained_variance when whitening (floored at machine
        /// epsilon, as scikit-learn). Rows are centred before projecting, so data far from the
        /// origin keeps its digits.
        ///
        /// - Throws: `invalidData` naming `X` (wrong width, a non-finite value), `cancelled`.
        /// - Complexity: 2·m·p·k flops, one pass over x.
        public func transform(_ x: Matrix) throws(SciLearnError) -> Matrix {
            BLASThreading.pinSingleThreaded()
            let p = components.columns, k = nComponents
            guard x.columns == p else { throw .invalidData("X", "has \(x.columns) columns; the model was fitted on \(p)") }
            if x.rows == 0 { return Matrix(rows: 0, columns: k) }
            _ = try Validation.finiteColumnMaxima(x, name: "X")
            // componentsᵀ, p × k column-major: component c is column c.
            var axes = [Double](repeating: 0, count: p * k)
            for c in 0..<k { for j in 0..<p { axes[j + c * p] = components[c, j] } }
            var out = try CentredProducts(x, mean: mean).times(axes, columns: k)
            if whiten {
                let n = x.rows
                for c in 0..<k {
                    let scale = Swift.max(explainedVariance[c].squareRoot(), Double.ulpOfOne)
                    for i in 0..<n { out[i + c * n] /= scale }
                }
            }
            return Matrix(rows: x.rows, columns: k, columnMajor: out)
        }

        /// Back to the data's space: `t·components + mean` (m × p) for projections `t` (m × k),
        /// the components scaled by √explained_variance first when whitening
        /// (scikit-learn `inverse_transform`).
        ///
        /// - Throws: `invalidData` naming `X` (wrong width, a non-finite value).
        /// - Complexity: 2·m·k·p flops.
        public func inverseTransform(_ t: Matrix) throws(SciLearnError) -> Matrix {
            BLASThreading.pinSingleThreaded()
            let p = components.columns, k = nComponents, m = t.rows
            guard t.columns == k else { throw .invalidData("X", "has \(t.columns) columns; the model has \(k) components") }
            if m == 0 { return Matrix(rows: 0, columns: p) }
            _ = try Validation.finiteColumnMaxima(t, name: "X")
            var axes = components.storage
            if whiten {
                for c in 0..<k {
                    let s = explainedVariance[c].squareRoot()
                    for j in 0..<p { axes[c + j * components.leadingDimension] *= s }
                }
            }
            var out = [Double](repeating: 0, count: m * p)
            for j in 0..<p { for i in 0..<m { out[i + j * m] = mean[j] } }
            t.withUnsafeBufferPointer { tp in
                axes.withUnsafeBufferPointer { ap in
                    out.withUnsafeMutableBufferPointer { op in
                        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(p), Int32(k), 1,
                                    tp.baseAddress, Int32(t.leadingDimension), ap.baseAddress, Int32(components.leadingDimension),
                                    1, op.baseAddress, Int32(m))
                    }
                }
            }
            return Matrix(rows: m, columns: p, columnMajor: out)
        }
    }
}
