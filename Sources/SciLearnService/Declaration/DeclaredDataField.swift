/// A declared data field, whatever the type of its value.
protocol DeclaredDataField: Sendable {
    var info: DataFieldInfo { get }
}
