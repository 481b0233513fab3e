import ArgumentParser
import SciLearnService

/// The service's limits as flags, shared by `run`, `serve`, `worker` and `submit`: the body, the
/// numbers in one data field, and what one job may cost (memory and work, known from its shapes
/// before it runs; over either the job is refused with `too_large`).
struct LimitOptions: ParsableArguments {
    @Option(help: "Largest request body in bytes; larger ones are refused (413 over HTTP) before they are read whole.")
    var maxBody: Int = ServiceLimits().maxBodyBytes

    @Option(help: "Most numbers in one data field (rows × columns).")
    var maxCells: Int = ServiceLimits().maxCells

    @Option(help: "Most memory one job may need, in bytes (default 2 GiB), estimated from its shapes before it runs.")
    var maxJobMemory: Double = ServiceLimits().maxJobMemoryBytes

    @Option(help: "Most floating-point operations one job may need (default 2e11), estimated from its shapes before it runs.")
    var maxJobWork: Double = ServiceLimits().maxJobWork

    func validate() throws {
        guard maxBody >= 1 else { throw ValidationError("--max-body must be >= 1, not \(maxBody)") }
        guard maxCells >= 1 else { throw ValidationError("--max-cells must be >= 1, not \(maxCells)") }
        guard maxJobMemory.isFinite, maxJobMemory >= 1 else {
            throw ValidationError("--max-job-memory must be a number of bytes >= 1, not \(maxJobMemory)")
        }
        guard maxJobWork.isFinite, maxJobWork >= 1 else {
            throw ValidationError("--max-job-work must be a number of operations >= 1, not \(maxJobWork)")
        }
    }

    var limits: ServiceLimits {
        ServiceLimits(maxBodyBytes: maxBody, maxCells: maxCells, maxJobMemoryBytes: maxJobMemory, maxJobWork: maxJobWork)
    }
}
