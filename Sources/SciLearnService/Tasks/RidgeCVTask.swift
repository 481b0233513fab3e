import SciLearn

/// `ridge_cv`: ridge with α chosen by efficient leave-one-out error, scikit-learn `RidgeCV`.
enum RidgeCVTask {
    static let alphas = Param.numbers("alphas", default: [0.1, 1, 10], constraint: "each > 0", doc: "candidate penalties")
    static let fitIntercept = Param.bool("fit_intercept", default: true, doc: "fit an intercept (not penalised)")
    static let x = DataField.matrix("X", doc: "n samples × p features")
    static let y = DataField.vector("y", doc: "n targets")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    static let declaration = TaskDeclaration(
        name: "ridge_cv",
        summary: "Ridge regression with α chosen by leave-one-out error, as scikit-learn RidgeCV.",
        params: [alphas, fitIntercept],
        data: [x, y, featureNames],
        model: LinearModelParameters.use
    ) { (input) throws(ServiceError) in
        let config = RidgeCV(alphas: try input.read(alphas), fitIntercept: try input.read(fitIntercept))
        do throws(SciLearnError) { try config.validate() } catch { throw ServiceError(error) }
        let x = try input.read(Self.x)
        let y = try input.read(Self.y)
        try DataReader.checkLength(y.count, key: "y", count: x.rows, countSource: "X (rows)")
        let names = try LinearTerms.names(input, featureNames, columns: x.columns)
        let cost = RidgeCV.estimatedCost(rows: x.rows, columns: x.columns, candidates: config.alphas.count)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: RidgeCV.Model
            do throws(SciLearnError) { model = try config.fit(x, y) } catch { throw ServiceError(error) }
            return try LinearFit(coefficients: model.coefficients, intercept: model.intercept, names: names,
                                 fitIntercept: config.fitIntercept,
                                 extra: ["alpha": .number(model.alpha), "best_score": .finite(model.bestScore)]).output()
        }
    }
}
