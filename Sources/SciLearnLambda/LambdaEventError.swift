/// An event the function cannot handle at all: reported to the Runtime API's `/error` (the
/// invocation fails; the runtime goes on to the next one).
public struct LambdaEventError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
