import SciLearn

/// `logistic_regression`: binary or multinomial logistic regression, scikit-learn
/// `LogisticRegression`; for two classes without penalty also statsmodels `Logit` inference.
enum LogisticRegressionTask {
    static let penalty = Param<LogisticRegression.Penalty>.choice("penalty", default: LogisticRegression().penalty, doc: "\"l2\" (½‖W‖² weighted by 1/C) or \"none\" (maximum likelihood)")
    static let c = Param.number("C", default: LogisticRegression().c, rule: LogisticRegression.Rules.c, doc: "inverse penalty strength (ignored without a penalty)")
    static let fitIntercept = Param.bool("fit_intercept", default: LogisticRegression().fitIntercept, doc: "fit intercepts (not penalised)")
    static let maxIter = Param.integer("max_iter", default: LogisticRegression().maxIter, rule: LogisticRegression.Rules.maxIter, doc: "most Newton steps")
    static let tol = Param.number("tol", default: LogisticRegression().tol, rule: LogisticRegression.Rules.tol, doc: "largest gradient entry of the mean loss at convergence")
    static let classWeight: Param<LogisticRegression.ClassWeight?> = Param<LogisticRegression.ClassWeight?>.optionalChoice("class_weight", doc: "null, or \"balanced\": weights n / (K · class count)")
    static let x = DataField.matrix("X", doc: "n samples × p features")
    static let y = DataField.labels("y", pairedWith: "X", doc: "n class labels: all numbers or all strings")
    static let featureNames = FeatureNamesField(doc: "p distinct names for the columns of X, used in `terms`")

    static let declaration = TaskDeclaration(
        name: "logistic_regression",
        summary: "Logistic regression (binary or multinomial), as scikit-learn LogisticRegression; statsmodels Logit inference for two classes without penalty.",
        params: [penalty, c, fitIntercept, maxIter, tol, classWeight],
        data: [x, y, featureNames],
        result: Result.self,
        model: LogisticModelParameters.use
    ) { (input) throws(ServiceError) in
        let config = LogisticRegression(penalty: try input.read(penalty), c: try input.read(c), fitIntercept: try input.read(fitIntercept),
                                        maxIter: try input.read(maxIter), tol: try input.read(tol), classWeight: try input.read(classWeight))
        let x = try input.read(Self.x)
        let labels = try input.read(y)
        try DataReader.checkLength(labels.count, key: "y", count: x.rows, countSource: "X (rows)")
        let names = try LinearTerms.names(input, featureNames, columns: x.columns)
        let encoded: (classes: ClassLabels, indices: [Int])
        switch labels {
        case .numbers(let v):
            do throws(SciLearnError) { try ClassLabels.checkDiscrete(v, name: "y") } catch { throw ServiceError(error) }
            encoded = ClassLabels.encode(v)
        case .strings(let v): encoded = ClassLabels.encode(v)
        }
        let cost = LogisticRegression.estimatedCost(rows: x.rows, columns: x.columns, classes: encoded.classes.count,
                                                    maxIter: config.maxIter, penalty: config.penalty)
        return PreparedJob(cost: cost) { () throws(ServiceError) in
            let model: LogisticRegression.Model
            do throws(SciLearnError) { model = try config.fit(x, classes: encoded.classes, labels: encoded.indices) } catch { throw ServiceError(error) }
            var warnings = ResultWarnings(model.warnings)
            let result = Result(model, names: names, warnings: &warnings)
            return try TaskOutput(result, warnings: warnings.all)
        }
    }

    /// The contract's result: scikit-learn's fitted attributes, and statsmodels `Logit`'s
    /// inference when it is defined (two classes, no penalty).
    struct Result: TaskResult {
        var classes: WireClasses
        var coef: [[Double?]]
        var intercept: [Double?]
        var nIter: Int
        var terms: [String]
        var fitIntercept: Bool
        var inference: InferenceFields?

        static let inferenceCondition = "two classes and penalty \"none\""

        static let fields = [
            ResultFieldInfo("classes", .labels, "`classes_`: the sorted distinct labels"),
            ResultFieldInfo("coef", .numberRows, nullable: true, "`coef_`: one row for two classes, one per class otherwise; null beyond the range of a double"),
            ResultFieldInfo("intercept", .numbers, nullable: true, "`intercept_`, one per row of coef"),
            ResultFieldInfo("n_iter", .integer, "Newton and chord steps taken (SciLearn's own count, not comparable with L-BFGS iterations)"),
            ResultFieldInfo("terms", .strings, "\"intercept\" (when fitted), then the feature names: the order of the inference lists"),
            ResultFieldInfo("fit_intercept", .boolean, "whether intercepts were fitted"),
        ] + InferenceFields.fields

        enum CodingKeys: String, CodingKey { case classes, coef, intercept, nIter, terms, fitIntercept }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(classes, forKey: .classes)
            try c.encode(coef, forKey: .coef)
            try c.encode(intercept, forKey: .intercept)
            try c.encode(nIter, forKey: .nIter)
            try c.encode(terms, forKey: .terms)
            try c.encode(fitIntercept, forKey: .fitIntercept)
            try inference?.encode(to: encoder)
        }

        init(_ model: LogisticRegression.Model, names: [String], warnings: inout ResultWarnings) {
            classes = WireClasses(labels: model.classes)
            let rows = (0..<model.coefficients.rows).map { r in (0..<model.coefficients.columns).map { model.coefficients[r, $0] } }
            coef = warnings.withinRange(rows, "coef")
            intercept = warnings.withinRange(model.intercepts, "intercept")
            nIter = model.iterations
            terms = LinearTerms.terms(names, fitIntercept: model.fitIntercept)
            fitIntercept = model.fitIntercept
            inference = model.inference.map(InferenceFields.init)
        }
    }

    /// statsmodels `Logit`'s inference, in its term order (intercept first).
    struct InferenceFields: Encodable {
        var stdErrors: [Double?]
        var zValues: [Double?]
        var pValues: [Double?]
        var confInt: [[Double?]]
        var logLikelihood: Double
        var pseudoRSquared: Double?

        static let fields = [
            ResultFieldInfo("std_errors", .numbers, nullable: true, presentWhen: Result.inferenceCondition, "`bse`; null with class_weight or a singular Hessian"),
            ResultFieldInfo("z_values", .numbers, nullable: true, presentWhen: Result.inferenceCondition, "`tvalues` (normal z)"),
            ResultFieldInfo("p_values", .numbers, nullable: true, presentWhen: Result.inferenceCondition, "`pvalues`, two-sided normal"),
            ResultFieldInfo("conf_int", .numberRows, nullable: true, presentWhen: Result.inferenceCondition, "`conf_int()`: [lower, upper] per term, 95%"),
            ResultFieldInfo("log_likelihood", .number, presentWhen: Result.inferenceCondition, "`llf`"),
            ResultFieldInfo("pseudo_r_squared", .number, nullable: true, presentWhen: Result.inferenceCondition, "`prsquared` (McFadden); null when the null model's log-likelihood is 0"),
        ]

        init(_ inf: LogisticRegression.Inference) {
            stdErrors = inf.standardErrors
            zValues = inf.zValues
            pValues = inf.pValues
            confInt = inf.confidenceIntervals
            logLikelihood = inf.logLikelihood
            pseudoRSquared = inf.pseudoRSquared
        }
    }
}
