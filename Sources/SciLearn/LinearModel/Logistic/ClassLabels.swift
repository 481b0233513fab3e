/// The distinct classes of a classifier, sorted as numpy's `unique` sorts them (numbers by
/// value, strings by Unicode code points), so that class k is scikit-learn's `classes_[k]`.
public enum ClassLabels: Sendable, Codable, Hashable {
    /// Numeric labels, ascending.
    case numbers([Double])
    /// String labels, in code-point order.
    case strings([String])

    /// How many classes.
    public var count: Int {
        switch self {
        case .numbers(let v): v.count
        case .strings(let v): v.count
        }
    }

    /// Checks that numeric labels are class labels as scikit-learn reads them: finite and whole
    /// numbers. A non-integral value means a continuous target (scikit-learn: "Unknown label
    /// type: continuous").
    ///
    /// - Throws: `invalidData` naming `name[i]`, the first value that is not a whole number.
    public static func checkDiscrete(_ y: [Double], name: String) throws(SciLearnError) {
        try Validation.finite(y, name: name)
        if let i = y.firstIndex(where: { $0 != $0.rounded() }) {
            throw .invalidData("\(name)[\(i)]", "is \(y[i]), not a whole number: \(name) looks like a continuous target, not class labels (scikit-learn: \"Unknown label type: continuous\"); class labels are integers or strings, and a continuous target is for linear_regression, ridge, lasso or elastic_net")
        }
    }

    /// The sorted distinct labels of `y` and each sample's class index.
    public static func encode(_ y: [Double]) -> (classes: ClassLabels, indices: [Int]) {
        let classes = Array(Set(y)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        return (.numbers(classes), y.map { index[$0]! })
    }

    /// The sorted distinct labels of `y` (by code points, as numpy) and each sample's class index.
    public static func encode(_ y: [String]) -> (classes: ClassLabels, indices: [Int]) {
        let classes = Array(Set(y)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        return (.strings(classes), y.map { index[$0]! })
    }
}
