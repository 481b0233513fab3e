/// What one job costs to run, as the transport suite measured it in-process on this machine.
public struct JobProfile: Codable, Sendable, Hashable {
    /// The job's name in the suite (`small-ols`, `medium-kmeans`, ...).
    public var name: String
    /// CPU seconds per job (user + system, every thread), the compute an instance or a function
    /// must supply.
    public var cpuSeconds: Double
    /// Wall seconds per job, in-process, one job at a time.
    public var wallSeconds: Double
    /// Peak resident memory of a process that runs the job once (`scilearn run`), MiB: the
    /// adapter's memory at rest included.
    public var peakMemoryMiB: Double
    /// Bytes of the request (what is sent to SQS).
    public var requestBytes: Int
    /// Bytes of the success record (what is written to the success queue).
    public var resultBytes: Int

    /// A job profile; see the properties for the units.
    public init(name: String, cpuSeconds: Double, wallSeconds: Double, peakMemoryMiB: Double, requestBytes: Int, resultBytes: Int) {
        self.name = name
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
        self.peakMemoryMiB = peakMemoryMiB
        self.requestBytes = requestBytes
        self.resultBytes = resultBytes
    }

    /// The threads the job keeps busy on average (CPU time over wall time, at least 1).
    public var parallelism: Double { wallSeconds > 0 ? max(1, cpuSeconds / wallSeconds) : 1 }
}
