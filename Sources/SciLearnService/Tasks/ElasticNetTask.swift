import SciLearn

/// `lasso` and `elastic_net`: coordinate descent on scikit-learn's objective, one declaration
/// each from the same reading and result.
enum ElasticNetTask {
    static let alpha = Param.number("alpha", default: 1, constraint: ">= 0", doc: "penalty weight α")
    static let l1Ratio = Param.number("l1_ratio", default: 0.5, constraint: "in [0, 1]", doc: "the L1 share ρ of the penalty")
    static let fitIntercept = Param.bool("fit_intercept", default: true, doc: "fit an intercept (not penalised)")
    static let maxIter = Param.integer("max_iter", default: 1000, constraint: ">= 1", doc: "most sweeps over the coordinates")
    static let tol = Param.number("tol", default: 1e-4, constraint: ">= 0", doc: "stop when the duality gap is at most tol·‖y − ȳ‖²")
    static let x = DataField.matrix("X", doc: "n samples × p features")
    static let y = DataField.vector("y", doc: "n targets")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    static let lasso = declaration(name: "lasso", summary: "The lasso (L1 penalty) by coordinate descent, as scikit-learn Lasso.", l1: false)
    static let elasticNet = declaration(name: "elastic_net", summary: "The elastic net (L1 + L2 penalties) by coordinate descent, as scikit-learn ElasticNet.", l1: true)

    static func declaration(name: String, summary: String, l1: Bool) -> TaskDeclaration {
        TaskDeclaration(
            name: name, summary: summary,
            params: l1 ? [alpha, l1Ratio, fitIntercept, maxIter, tol] : [alpha, fitIntercept, maxIter, tol],
            data: [x, y, featureNames],
            model: LinearModelParameters.use
        ) { (input) throws(ServiceError) in
            let config = ElasticNet(alpha: try input.read(alpha), l1Ratio: l1 ? try input.read(l1Ratio) : 1,
                                    fitIntercept: try input.read(fitIntercept), maxIter: try input.read(maxIter), tol: try input.read(tol))
            do throws(SciLearnError) { try config.validate() } catch { throw ServiceError(error) }
            let x = try input.read(Self.x)
            let y = try input.read(Self.y)
            try DataReader.checkLength(y.count, key: "y", count: x.rows, countSource: "X (rows)")
            let names = try LinearTerms.names(input, featureNames, columns: x.columns)
            let cost = ElasticNet.estimatedCost(rows: x.rows, columns: x.columns, maxIter: config.maxIter)
            return PreparedJob(cost: cost) { () throws(ServiceError) in
                let model: ElasticNet.Model
                do throws(SciLearnError) { model = try config.fit(x, y) } catch { throw ServiceError(error) }
                return try LinearFit(coefficients: model.coefficients, intercept: model.intercept, names: names,
                                     fitIntercept: config.fitIntercept,
                                     extra: ["n_iter": .number(Double(model.iterations)), "dual_gap": .finite(model.dualGap)],
                                     warnings: model.warnings).output()
            }
        }
    }
}
