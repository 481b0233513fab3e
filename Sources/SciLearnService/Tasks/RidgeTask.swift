import SciLearn

/// `ridge`: L2-penalised least squares, scikit-learn `Ridge`.
enum RidgeTask {
    static let alpha = Param.number("alpha", default: Ridge().alpha, rule: Ridge.Rules.alpha, doc: "penalty weight α of ‖w‖²")
    static let fitIntercept = Param.bool("fit_intercept", default: Ridge().fitIntercept, doc: "fit an intercept (not penalised)")
    static let x = DataField.matrix("X", doc: "n samples × p features")
    static let y = DataField.vector("y", pairedWith: "X", doc: "n targets")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    static let declaration = TaskDeclaration(
        name: "ridge",
        summary: "Ridge regression (L2 penalty), as scikit-learn Ridge.",
        params: [alpha, fitIntercept],
        data: [x, y, featureNames],
        result: LinearFit<NoExtraFields>.self,
        model: LinearModelParameters.use
    ) { (input) throws(ServiceError) in
        let config = Ridge(alpha: try input.read(alpha), fitIntercept: try input.read(fitIntercept))
        let (x, y) = try LinearTerms.design(input, Self.x, Self.y)
        let names = try LinearTerms.names(input, featureNames, columns: x.columns)
        return PreparedJob(cost: Ridge.estimatedCost(rows: x.rows, columns: x.columns)) { () throws(ServiceError) in
            let model: Ridge.Model
            do throws(SciLearnError) { model = try config.fit(x, y) } catch { throw ServiceError(error) }
            return try LinearFit.output(coefficients: model.coefficients, intercept: model.intercept, names: names,
                                        fitIntercept: config.fitIntercept, extra: NoExtraFields())
        }
    }
}
