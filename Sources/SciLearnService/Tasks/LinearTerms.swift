import SciLearn

/// The term names a linear model's result lists: `"intercept"` first when one was fitted, then
/// the feature names (given, or `x0, x1, ...`), as statsmodels names them; and the design every
/// linear regression reads.
enum LinearTerms {
    /// X and y, y's length checked against X's rows.
    static func design(_ input: TaskInput, _ xField: DataField<Matrix>, _ yField: DataField<[Double]>) throws(ServiceError) -> (Matrix, [Double]) {
        let x = try input.read(xField)
        let y = try input.read(yField)
        try DataReader.checkLength(y.count, key: yField.info.key, count: x.rows, countSource: "X (rows)")
        return (x, y)
    }

    static func names(_ input: TaskInput, _ field: FeatureNamesField, columns: Int) throws(ServiceError) -> [String] {
        try input.read(field, columns: columns) ?? (0..<columns).map { "x\($0)" }
    }

    static func terms(_ names: [String], fitIntercept: Bool) -> [String] {
        (fitIntercept ? ["intercept"] : []) + names
    }

    /// The feature names among a result's `terms` (which lead with "intercept" when one was
    /// fitted), when they name `count` features.
    static func featureNames(terms: [String]?, count: Int) -> [String]? {
        guard let terms else { return nil }
        if terms.count == count + 1 && terms.first == "intercept" { return Array(terms.dropFirst()) }
        return terms.count == count ? terms : nil
    }
}
