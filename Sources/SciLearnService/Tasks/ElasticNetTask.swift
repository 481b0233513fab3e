import SciLearn

/// `lasso` and `elastic_net`: coordinate descent on scikit-learn's objective, one declaration
/// each from the same reading and result.
enum ElasticNetTask {
    static let alpha = Param.number("alpha", default: ElasticNet().alpha, rule: ElasticNet.Rules.alpha, doc: "penalty weight α")
    static let l1Ratio = Param.number("l1_ratio", default: ElasticNet().l1Ratio, rule: ElasticNet.Rules.l1Ratio, doc: "the L1 share ρ of the penalty")
    static let fitIntercept = Param.bool("fit_intercept", default: ElasticNet().fitIntercept, doc: "fit an intercept (not penalised)")
    static let maxIter = Param.integer("max_iter", default: ElasticNet().maxIter, rule: ElasticNet.Rules.maxIter, doc: "most sweeps over the coordinates")
    static let tol = Param.number("tol", default: ElasticNet().tol, rule: ElasticNet.Rules.tol, doc: "stop when the duality gap is at most tol·‖y − ȳ‖²")
    static let x = DataField.matrix("X", doc: "n samples × p features")
    static let y = DataField.vector("y", pairedWith: "X", doc: "n targets")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    /// The fields the coordinate-descent fits add to ``LinearFit``.
    struct Convergence: TaskResult {
        var nIter: Int
        var dualGap: Double

        static let fields = [
            ResultFieldInfo("n_iter", .integer, "sweeps run (scikit-learn `n_iter_`)"),
            ResultFieldInfo("dual_gap", .number, "the duality gap at the end, divided by n (`dual_gap_`)"),
        ]
    }

    static let lasso = declaration(name: "lasso", summary: "The lasso (L1 penalty) by coordinate descent, as scikit-learn Lasso.", takesL1Ratio: false)
    static let elasticNet = declaration(name: "elastic_net", summary: "The elastic net (L1 + L2 penalties) by coordinate descent, as scikit-learn ElasticNet.", takesL1Ratio: true)

    /// `takesL1Ratio`: whether the task has the `l1_ratio` param (the lasso's is 1).
    static func declaration(name: String, summary: String, takesL1Ratio: Bool) -> TaskDeclaration {
        TaskDeclaration(
            name: name, summary: summary,
            params: takesL1Ratio ? [alpha, l1Ratio, fitIntercept, maxIter, tol] : [alpha, fitIntercept, maxIter, tol],
            data: [x, y, featureNames],
            result: LinearFit<Convergence>.self,
            model: LinearModelParameters.use
        ) { (input) throws(ServiceError) in
            let config = ElasticNet(alpha: try input.read(alpha), l1Ratio: takesL1Ratio ? try input.read(l1Ratio) : 1,
                                    fitIntercept: try input.read(fitIntercept), maxIter: try input.read(maxIter), tol: try input.read(tol))
            let (x, y) = try LinearTerms.design(input, Self.x, Self.y)
            let names = try LinearTerms.names(input, featureNames, columns: x.columns)
            let cost = ElasticNet.estimatedCost(rows: x.rows, columns: x.columns, maxIter: config.maxIter)
            return PreparedJob(cost: cost) { () throws(ServiceError) in
                let model: ElasticNet.Model
                do throws(SciLearnError) { model = try config.fit(x, y) } catch { throw ServiceError(error) }
                return try LinearFit.output(coefficients: model.coefficients, intercept: model.intercept, names: names,
                                            fitIntercept: config.fitIntercept,
                                            extra: Convergence(nIter: model.iterations, dualGap: model.dualGap), warnings: model.warnings)
            }
        }
    }
}
