/// A month of traffic as the cost model sees it: the average arrival rate and how far the peak
/// rises above it.
public struct TrafficProfile: Codable, Sendable, Hashable {
    /// Average jobs per hour over the month.
    public var jobsPerHour: Double
    /// Peak rate over average rate (1: steady; 10: a campaign launch's tenfold burst).
    public var burstiness: Double

    /// A traffic profile; `burstiness` ≥ 1.
    public init(jobsPerHour: Double, burstiness: Double) {
        self.jobsPerHour = jobsPerHour
        self.burstiness = max(1, burstiness)
    }

    /// Jobs in a month of ``CostModel/hoursPerMonth`` hours.
    public var jobsPerMonth: Double { jobsPerHour * CostModel.hoursPerMonth }
    /// The peak arrival rate, jobs per second.
    public var peakJobsPerSecond: Double { jobsPerHour * burstiness / 3_600 }
}
