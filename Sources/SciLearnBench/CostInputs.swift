/// What the transport suite measured that the cost model needs, as the suite writes it
/// (`costs-input.json`) and `scilearn bench cost --measurements` reads it.
public struct CostInputs: Codable, Sendable, Hashable {
    /// Each job size's in-process profile.
    public var jobs: [JobProfile]
    /// The Lambda adapter's start-up: process start to its first answered invocation, seconds.
    public var initSeconds: Double
    /// The Lambda path's time per batch beyond its jobs' compute, seconds.
    public var invocationOverheadSeconds: Double
    /// The Lambda adapter's resident memory at rest, MiB.
    public var restMemoryMiB: Double
    /// The machine they were measured on.
    public var machine: String
    /// When (ISO 8601 date).
    public var date: String

    /// Inputs; see the properties for the units.
    public init(jobs: [JobProfile], initSeconds: Double, invocationOverheadSeconds: Double, restMemoryMiB: Double, machine: String, date: String) {
        self.jobs = jobs
        self.initSeconds = initSeconds
        self.invocationOverheadSeconds = invocationOverheadSeconds
        self.restMemoryMiB = restMemoryMiB
        self.machine = machine
        self.date = date
    }
}
