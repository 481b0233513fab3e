/// `feature_names`: read with the column count it must match, so its declaration is a marker.
struct FeatureNamesField: DeclaredDataField {
    let info: DataFieldInfo

    init(doc: String) {
        info = DataFieldInfo(key: "feature_names", shape: .names, required: false, acceptsNoColumns: false, doc: doc)
    }

    func read(_ d: DataReader, columns: Int) throws(ServiceError) -> [String]? {
        try d.featureNames(columns: columns)
    }
}
