/// A task's result type: encoded by ``ResultEncoder`` (property names in snake_case, in
/// declaration order) and declared field by field in ``fields``, from which the contract's
/// result lists and the OpenAPI result schemas are generated. ``TaskOutput`` checks every result
/// against its declaration.
protocol TaskResult: Encodable {
    /// The fields in the order they are encoded.
    static var fields: [ResultFieldInfo] { get }
}
