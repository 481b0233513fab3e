import SciLearn

/// A typed data-field declaration: the key is spelled here once, and the task reads the field
/// through this value (`try input.read(Self.x)`).
struct DataField<Value: Sendable>: DeclaredDataField {
    let info: DataFieldInfo
    let read: @Sendable (DataReader) throws(ServiceError) -> Value

    init(_ key: String, shape: DataFieldInfo.Shape, required: Bool, acceptsNoColumns: Bool = false, pairedWith: String? = nil, doc: String,
         read: @escaping @Sendable (DataReader) throws(ServiceError) -> Value) {
        info = DataFieldInfo(key: key, shape: shape, required: required, acceptsNoColumns: acceptsNoColumns, pairedWith: pairedWith, doc: doc)
        self.read = read
    }
}

extension DataField where Value == Matrix {
    /// A required n × p matrix (`X`) with p ≥ 1, or p ≥ 0 when `acceptsNoColumns` (a task whose
    /// reference fits the intercept alone, as statsmodels OLS does).
    static func matrix(_ key: String, acceptsNoColumns: Bool = false, doc: String) -> Self {
        Self(key, shape: .matrix, required: true, acceptsNoColumns: acceptsNoColumns, doc: doc) { (d) throws(ServiceError) in
            try d.matrix(key, minimumColumns: acceptsNoColumns ? 0 : 1)
        }
    }

    /// A required table of counts (`observed`), whole numbers when `integral`.
    static func counts(_ key: String, integral: Bool, doc: String) -> Self {
        Self(key, shape: .counts, required: true, doc: doc) { (d) throws(ServiceError) in try d.counts(key, integral: integral) }
    }
}

extension DataField where Value == Matrix? {
    /// An optional n × p matrix (`X` of `describe`, which takes `X` or `a`).
    static func optionalMatrix(_ key: String, doc: String) -> Self {
        Self(key, shape: .matrix, required: false, doc: doc) { (d) throws(ServiceError) in
            d.has(key) ? try d.matrix(key) : nil
        }
    }
}

extension DataField where Value == [Double] {
    /// A required vector of numbers (`y`, `a`); its length is checked by the task against the
    /// field it must match.
    static func vector(_ key: String, pairedWith: String? = nil, doc: String) -> Self {
        Self(key, shape: .vector, required: true, pairedWith: pairedWith, doc: doc) { (d) throws(ServiceError) in try d.vector(key) }
    }
}

extension DataField where Value == [Double]? {
    /// An optional vector of numbers (`b` of `wilcoxon`, `f_exp`).
    static func optionalVector(_ key: String, pairedWith: String? = nil, doc: String) -> Self {
        Self(key, shape: .vector, required: false, pairedWith: pairedWith, doc: doc) { (d) throws(ServiceError) in
            d.has(key) ? try d.vector(key) : nil
        }
    }
}

extension DataField where Value == Labels {
    /// Required class labels (`y` of a classifier).
    static func labels(_ key: String, pairedWith: String? = nil, doc: String) -> Self {
        Self(key, shape: .labels, required: true, pairedWith: pairedWith, doc: doc) { (d) throws(ServiceError) in try d.labels(key) }
    }
}

extension DataField where Value == [[Double]] {
    /// A required list of samples (`groups`).
    static func samples(_ key: String, doc: String) -> Self {
        Self(key, shape: .samples, required: true, doc: doc) { (d) throws(ServiceError) in try d.samples(key) }
    }
}
