import SciLearn

/// Size limits applied to every request, whatever the transport. Exceeding one is `too_large`.
///
/// The last two bound what a job may cost once it is read: every task states the memory and
/// work of its run from the shapes it read (``ComputeCost``), and a job over either limit is
/// refused before anything large is allocated, so that a small body (2 MB of a 1 × 1,000,000 X)
/// can never make the process allocate without bound.
public struct ServiceLimits: Sendable, Hashable {
    /// Largest request body in bytes (default 64 MiB).
    public var maxBodyBytes: Int
    /// Deepest JSON nesting accepted (default 64; the deepest legitimate request, a `predict`
    /// carrying a whole fit response, nests about 6 levels).
    public var maxDepth: Int
    /// Most numbers in one data field, rows × columns (default 20 million).
    public var maxCells: Int
    /// Most memory one job may allocate, in bytes (default 2 GiB: with the default of one job
    /// per core, a 2-core server holds at most 4 GiB of job memory).
    public var maxJobMemoryBytes: Double
    /// Most floating-point work one job may do, as estimated from its shapes (default 2e11).
    /// Estimates are upper bounds: a rank-deficient OLS of 1,800 × 1,780, estimated at 1.9e11,
    /// ran in 4 s here; the limit is there to refuse the absurd (a 3,000 × 3,000 fit, 7.6e11),
    /// not to police ordinary large jobs.
    public var maxJobWork: Double

    /// Limits of these values, each defaulting as documented on its property.
    public init(maxBodyBytes: Int = 64 << 20, maxDepth: Int = JSONValue.defaultMaxDepth, maxCells: Int = 20_000_000,
                maxJobMemoryBytes: Double = Double(2 << 30), maxJobWork: Double = 2e11) {
        self.maxBodyBytes = maxBodyBytes
        self.maxDepth = maxDepth
        self.maxCells = maxCells
        self.maxJobMemoryBytes = maxJobMemoryBytes
        self.maxJobWork = maxJobWork
    }

    /// Refuses a job whose cost is over a limit, naming what drives it and the limit.
    func admit(_ cost: ComputeCost) throws(ServiceError) {
        if cost.memoryBytes > maxJobMemoryBytes {
            throw ServiceError(.tooLarge, "\(cost.drivenBy): the job would need about \(Self.bytes(cost.memoryBytes)) of memory; the limit is \(Self.bytes(maxJobMemoryBytes)) (max job memory)")
        }
        if cost.flops > maxJobWork {
            throw ServiceError(.tooLarge, "\(cost.drivenBy): the job would need about \(Self.scientific(cost.flops)) floating-point operations; the limit is \(Self.scientific(maxJobWork)) (max job work)")
        }
    }

    static func bytes(_ b: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var v = b, u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return u == 0 ? "\(Int(v)) bytes" : "\((v * 10).rounded() / 10) \(units[u])"
    }

    static func scientific(_ x: Double) -> String {
        guard x.isFinite, x > 0 else { return "\(x)" }
        var e = 0, m = x
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return "\((m * 10).rounded() / 10)e\(e)"
    }
}
