/// A declared param, whatever the type of its value.
protocol DeclaredParam: Sendable {
    var info: ParamInfo { get }
}
