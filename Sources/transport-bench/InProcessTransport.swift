import Dispatch
import SciLearnData
import SciLearnService

/// (a) `SciLearnService.run(body:)` in this process: the baseline every transport's overhead is
/// a ratio of. Each call runs on GCD's global queue (about one busy thread per core on Linux),
/// the engine's parallelism inside it.
struct InProcessTransport: Transport {
    let service: SciLearnService
    var name: String { "inprocess" }

    init(dataRoot: String, limits: ServiceLimits) throws {
        service = SciLearnService(limits: limits, dataSource: try DataReferenceSource(rootPaths: [dataRoot]))
    }

    func run(id: String, body: [UInt8]) async throws -> JobOutcome {
        let service = self.service
        return await withCheckedContinuation { done in
            DispatchQueue.global().async {
                let response = service.run(body: body, assignedID: id)
                done.resume(returning: JobOutcome(ok: response.errorCode == nil))
            }
        }
    }

    func close() async {}
}
