/// Size limits applied to every request, whatever the transport. Exceeding one is `too_large`.
public struct ServiceLimits: Sendable, Hashable {
    /// Largest request body in bytes (default 64 MiB).
    public var maxBodyBytes: Int
    /// Deepest JSON nesting accepted (default 64; the deepest legitimate request, a `predict`
    /// carrying a whole fit response, nests about 6 levels).
    public var maxDepth: Int
    /// Most numbers in one data matrix, rows × columns (default 20 million).
    public var maxCells: Int

    public init(maxBodyBytes: Int = 64 << 20, maxDepth: Int = 64, maxCells: Int = 20_000_000) {
        self.maxBodyBytes = maxBodyBytes
        self.maxDepth = maxDepth
        self.maxCells = maxCells
    }
}
