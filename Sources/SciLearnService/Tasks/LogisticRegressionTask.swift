import SciLearn

/// `logistic_regression`: binary or multinomial logistic regression, scikit-learn
/// `LogisticRegression`; for two classes without penalty also statsmodels `Logit` inference.
enum LogisticRegressionTask {
    static let penalty = Param<LogisticRegression.Penalty>.choice("penalty", default: .l2, doc: "\"l2\" (½‖W‖² weighted by 1/C) or \"none\" (maximum likelihood)")
    static let c = Param.number("C", default: 1, constraint: "> 0", doc: "inverse penalty strength (ignored without a penalty)")
    static let fitIntercept = Param.bool("fit_intercept", default: true, doc: "fit intercepts (not penalised)")
    static let maxIter = Param.integer("max_iter", default: 100, constraint: ">= 1", doc: "most Newton steps")
    static let tol = Param.number("tol", default: 1e-4, constraint: "> 0", doc: "largest gradient entry of the mean loss at convergence")
    static let classWeight: Param<LogisticRegression.ClassWeight?> = Param<LogisticRegression.ClassWeight?>.optionalChoice("class_weight", doc: "null, or \"balanced\": weights n / (K · class count)")
    static let x = DataField.matrix("X", doc: "n samples × p features")
    static let y = DataField.labels("y", doc: "n class labels: all numbers or all strings")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    static let declaration = TaskDeclaration(
        name: "logistic_regression",
        summary: "Logistic regression (binary or multinomial), as scikit-learn LogisticRegression; statsmodels Logit inference for two classes without penalty.",
        params: [penalty, c, fitIntercept, maxIter, tol, classWeight],
        data: [x, y, featureNames],
        model: LogisticModelParameters.use
    ) { (input) throws(ServiceError) in
        let config = LogisticRegression(penalty: try input.read(penalty), c: try input.read(c), fitIntercept: try input.read(fitIntercept),
                                        maxIter: try input.read(maxIter), tol: try input.read(tol), classWeight: try input.read(classWeight))
        do throws(SciLearnError) { try config.validate() } catch { throw ServiceError(error) }
        let x = try input.read(Self.x)
        let labels = try input.read(y)
        try DataReader.checkLength(labels.count, key: "y", count: x.rows, countSource: "X (rows)")
        let names = try LinearTerms.names(input, featureNames, columns: x.columns)
        let encoded: (classes: ClassLabels, indices: [Int])
        switch labels {
        case .numbers(let v): encoded = ClassLabels.encode(v)
        case .strings(let v): encoded = ClassLabels.encode(v)
        }
        let cost = LogisticRegression.estimatedCost(rows: x.rows, columns: x.columns, classes: encoded.classes.count, maxIter: config.maxIter)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: LogisticRegression.Model
            do throws(SciLearnError) { model = try config.fit(x, classes: encoded.classes, labels: encoded.indices) } catch { throw ServiceError(error) }
            return try output(model, names: names)
        }
    }

    static func output(_ model: LogisticRegression.Model, names: [String]) throws(ServiceError) -> TaskOutput {
        var warnings = model.warnings
        let rows = (0..<model.coefficients.rows).map { r in (0..<model.coefficients.columns).map { model.coefficients[r, $0] } }
        if rows.joined().contains(where: { !$0.isFinite }) || model.intercepts.contains(where: { !$0.isFinite }) {
            warnings.append("a coefficient or intercept is beyond the range of a double and is reported null; rescale X")
        }
        var result: JSONObject = [
            "classes": LogisticModelParameters.json(model.classes),
            "coef": .array(rows.map { .numbers($0) }),
            "intercept": .numbers(model.intercepts),
            "n_iter": .number(Double(model.iterations)),
            "terms": .array(LinearTerms.terms(names, fitIntercept: model.fitIntercept).map { .string($0) }),
            "fit_intercept": .bool(model.fitIntercept),
        ]
        if let inf = model.inference {
            result["std_errors"] = .numbers(inf.standardErrors)
            result["z_values"] = .numbers(inf.zValues)
            result["p_values"] = .numbers(inf.pValues)
            result["conf_int"] = .array(inf.confidenceIntervals.map { .numbers($0) })
            result["log_likelihood"] = .finite(inf.logLikelihood)
            result["pseudo_r_squared"] = .finite(inf.pseudoRSquared)
        }
        return TaskOutput(result: result, warnings: warnings)
    }
}
