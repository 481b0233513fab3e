import SciLearn

/// `ridge_cv`: ridge with α chosen by efficient leave-one-out error, scikit-learn `RidgeCV`.
enum RidgeCVTask {
    static let alphas = Param.numbers("alphas", default: RidgeCV().alphas, rule: RidgeCV.Rules.alpha, doc: "candidate penalties")
    static let fitIntercept = Param.bool("fit_intercept", default: RidgeCV().fitIntercept, doc: "fit an intercept (not penalised)")
    static let x = DataField.matrix("X", doc: "n samples × p features")
    static let y = DataField.vector("y", pairedWith: "X", doc: "n targets")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    /// The fields `ridge_cv` adds to ``LinearFit``.
    struct Choice: TaskResult {
        var alpha: Double
        var bestScore: Double

        static let fields = [
            ResultFieldInfo("alpha", .number, "the chosen penalty (scikit-learn `alpha_`)"),
            ResultFieldInfo("best_score", .number, "negative mean squared leave-one-out error at the chosen α (`best_score_`)"),
        ]
    }

    static let declaration = TaskDeclaration(
        name: "ridge_cv",
        summary: "Ridge regression with α chosen by leave-one-out error, as scikit-learn RidgeCV.",
        params: [alphas, fitIntercept],
        data: [x, y, featureNames],
        result: LinearFit<Choice>.self,
        model: LinearModelParameters.use
    ) { (input) throws(ServiceError) in
        let config = RidgeCV(alphas: try input.read(alphas), fitIntercept: try input.read(fitIntercept))
        let (x, y) = try LinearTerms.design(input, Self.x, Self.y)
        let names = try LinearTerms.names(input, featureNames, columns: x.columns)
        let cost = RidgeCV.estimatedCost(rows: x.rows, columns: x.columns, candidates: config.alphas.count)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: RidgeCV.Model
            do throws(SciLearnError) { model = try config.fit(x, y) } catch { throw ServiceError(error) }
            return try LinearFit.output(coefficients: model.coefficients, intercept: model.intercept, names: names,
                                        fitIntercept: config.fitIntercept, extra: Choice(alpha: model.alpha, bestScore: model.bestScore))
        }
    }
}
