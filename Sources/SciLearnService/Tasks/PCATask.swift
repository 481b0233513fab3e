import SciLearn

/// `pca`: principal component analysis, scikit-learn `PCA`; its result is also a model that
/// `transform` applies.
enum PCATask {
    /// The string choice of `iterated_power`.
    enum PowerChoice: String, CaseIterable, Sendable {
        case auto
    }

    static let nComponents = Param.componentCount("n_components", doc: "components kept: null = min(n, p); an integer (at most min(n, p)); or a fraction in (0, 1): the fewest components whose explained variance ratios sum past it (full and covariance_eigh)")
    static let whiten = Param.bool("whiten", default: false, doc: "scale each projected component to unit variance (transform divides by √explained_variance)")
    static let svdSolver = Param.choice("svd_solver", default: PCA.Solver.auto, doc: "\"full\" (exact SVD), \"covariance_eigh\" (eigenpairs of the centred cross products: fastest for n ≫ p), \"randomized\" (Halko-Martinsson-Tropp), or \"auto\" (scikit-learn's rule by shape; the result's svd_solver says which ran)")
    static let nOversamples = Param.integer("n_oversamples", default: PCA().nOversamples, rule: PCA.Rules.nOversamples, doc: "extra random directions of the randomized solver")
    static let iteratedPower: Param<ChoiceOrInteger<PowerChoice>> = .choiceOrInteger("iterated_power", default: PowerChoice.auto, rule: PCA.Rules.iteratedPower,
        doc: "power iterations of the randomized solver; \"auto\": 7 when n_components < 0.1 × min(n, p), else 4")
    static let randomState = Param.optionalInteger("random_state", rule: PCA.Rules.randomState, doc: "the seed of the randomized solver's start; null draws a fresh seed")
    static let returnTransformed = Param.bool("return_transformed", default: false, doc: "also return X projected on the components (n × k)")
    static let x = DataField.matrix("X", doc: "n samples × p features (n ≥ 2)")

    /// The result of `pca`.
    struct Result: TaskResult {
        var components: [[Double]]
        var explainedVariance: [Double]
        var explainedVarianceRatio: [Double]
        var singularValues: [Double]
        var mean: [Double]
        var nComponents: Int
        var noiseVariance: Double
        var whiten: Bool
        var svdSolver: String
        var nSamples: Int
        var transformed: [[Double]]?

        static let fields = [
            ResultFieldInfo("components", .numberRows, "the k principal axes, one row of p numbers each, by decreasing explained variance; in each the entry of largest magnitude is positive (`components_`)"),
            ResultFieldInfo("explained_variance", .numbers, "the variance (ddof 1) along each component (`explained_variance_`)"),
            ResultFieldInfo("explained_variance_ratio", .numbers, "each component's share of the total variance (`explained_variance_ratio_`)"),
            ResultFieldInfo("singular_values", .numbers, "the singular values of the centred X along each component (`singular_values_`)"),
            ResultFieldInfo("mean", .numbers, "the column means of X, subtracted before projecting (`mean_`)"),
            ResultFieldInfo("n_components", .integer, "k, the components kept (`n_components_`)"),
            ResultFieldInfo("noise_variance", .number, "the mean variance of the discarded directions, 0 when none were (`noise_variance_`)"),
            ResultFieldInfo("whiten", .boolean, "whether transform scales each component to unit variance"),
            ResultFieldInfo("svd_solver", .string, "the solver that ran (\"auto\" resolved)"),
            ResultFieldInfo("n_samples", .integer, "rows of X (`n_samples_`)"),
            ResultFieldInfo("transformed", .numberRows, presentWhen: "return_transformed is true", "X projected on the components, n rows of k numbers (`fit_transform`)"),
        ]

        enum CodingKeys: String, CodingKey {
            case components, explainedVariance, explainedVarianceRatio, singularValues, mean, nComponents, noiseVariance, whiten, svdSolver, nSamples, transformed
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(components, forKey: .components)
            try c.encode(explainedVariance, forKey: .explainedVariance)
            try c.encode(explainedVarianceRatio, forKey: .explainedVarianceRatio)
            try c.encode(singularValues, forKey: .singularValues)
            try c.encode(mean, forKey: .mean)
            try c.encode(nComponents, forKey: .nComponents)
            try c.encode(noiseVariance, forKey: .noiseVariance)
            try c.encode(whiten, forKey: .whiten)
            try c.encode(svdSolver, forKey: .svdSolver)
            try c.encode(nSamples, forKey: .nSamples)
            if let transformed { try c.encode(transformed, forKey: .transformed) }
        }
    }

    static let declaration = TaskDeclaration(
        name: "pca",
        summary: "Principal component analysis by the SVD of the centred data (or its cross products' eigenpairs, or a randomized SVD), as scikit-learn PCA.",
        params: [nComponents, whiten, svdSolver, nOversamples, iteratedPower, randomState, returnTransformed],
        data: [x],
        result: Result.self,
        model: PCAModelParameters.use
    ) { (input) throws(ServiceError) in
        let count: PCA.Components = switch try input.read(nComponents) {
        case .all: .all
        case .count(let k): .count(k)
        case .fraction(let f): .fraction(f)
        }
        let power: PCA.PowerIterations = switch try input.read(iteratedPower) {
        case .choice(.auto): .auto
        case .integer(let q): .count(q)
        }
        let config = PCA(nComponents: count, whiten: try input.read(whiten), solver: try input.read(svdSolver),
                         nOversamples: try input.read(nOversamples), iteratedPower: power, seed: try input.seed(randomState))
        let transform = try input.read(returnTransformed)
        let x = try input.read(Self.x)
        let kForCost: Int? = if case .count(let k) = count { min(k, max(1, min(x.rows, x.columns))) } else { nil }
        var cost = PCA.estimatedCost(rows: x.rows, columns: x.columns, components: kForCost, solver: config.solver,
                                     nOversamples: config.nOversamples, iteratedPower: power)
        // The components and mean as numbers and text; the projections when asked.
        let k = Double(kForCost ?? min(x.rows, x.columns)), n = Double(x.rows), p = Double(x.columns)
        cost.memoryBytes += 40 * (k * p + p) + (transform ? 48 * n * k : 0)
        cost.flops += transform ? 2 * n * p * k : 0
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: PCA.Model
            var projected: [[Double]]? = nil
            do throws(SciLearnError) {
                model = try config.fit(x)
                if transform { projected = try model.transform(x).rowArrays }
            } catch { throw ServiceError(error) }
            return try TaskOutput(Result(components: model.components.rowArrays, explainedVariance: model.explainedVariance,
                                         explainedVarianceRatio: model.explainedVarianceRatio, singularValues: model.singularValues,
                                         mean: model.mean, nComponents: model.nComponents, noiseVariance: model.noiseVariance,
                                         whiten: model.whiten, svdSolver: model.solver.rawValue, nSamples: model.nSamples,
                                         transformed: projected), warnings: [])
        }
    }
}
