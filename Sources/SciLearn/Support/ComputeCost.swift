/// What a computation will take, known from the shapes of its inputs before it runs: the peak
/// memory it allocates and roughly the floating-point work it does.
///
/// Estimates are upper bounds of the right order (within a small factor), not measurements:
/// they exist so that a service can refuse a job that would exhaust the machine before a single
/// large buffer is allocated. Kept in `Double` so that products of huge dimensions cannot
/// overflow.
public struct ComputeCost: Sendable, Hashable, Codable {
    /// Peak bytes allocated by the computation (the inputs it is handed not included).
    public var memoryBytes: Double
    /// Floating-point operations, roughly.
    public var flops: Double
    /// The dimension that drives the cost, as the user would name it (`"X: 2 rows × 20000
    /// columns"`), for the message of a refusal.
    public var drivenBy: String

    /// A cost estimate; see the properties for the units.
    public init(memoryBytes: Double, flops: Double, drivenBy: String) {
        self.memoryBytes = memoryBytes
        self.flops = flops
        self.drivenBy = drivenBy
    }
}
