import SciLearn

/// A request read and ready to run: what it will cost, from the shapes it read, and the run
/// itself. The service compares the cost with ``ServiceLimits`` before calling `run`.
struct PreparedJob: Sendable {
    let cost: ComputeCost
    let run: @Sendable () throws(ServiceError) -> TaskOutput
}
