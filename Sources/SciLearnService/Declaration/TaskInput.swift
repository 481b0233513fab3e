/// What a task's `prepare` receives: the request's params and data, already checked against the
/// declared keys, and the limits. Typed reads go through the task's own ``Param`` and
/// ``DataField`` values, so that a key is spelled once, in its declaration.
struct TaskInput: Sendable {
    let params: Params
    /// nil for a task that takes no data.
    var data: DataReader?
    let limits: ServiceLimits

    func read<Value>(_ param: Param<Value>) throws(ServiceError) -> Value {
        try param.read(params)
    }

    func read<Value>(_ field: DataField<Value>) throws(ServiceError) -> Value {
        try field.read(reader(for: field.info.key))
    }

    /// A `random_state` param read as a seed; null draws a fresh one.
    func seed(_ param: Param<Int?>) throws(ServiceError) -> UInt64 {
        try read(param).map { UInt64($0) } ?? UInt64.random(in: 0...UInt64(UInt32.max))
    }

    /// `feature_names`, which must have X's `columns` names.
    func read(_ field: FeatureNamesField, columns: Int) throws(ServiceError) -> [String]? {
        try field.read(reader(for: field.info.key), columns: columns)
    }

    private func reader(for key: String) throws(ServiceError) -> DataReader {
        guard let data else { throw ServiceError(.internal, "data.\(key) read by a task that declares no data") }
        return data
    }
}
