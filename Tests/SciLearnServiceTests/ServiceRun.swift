import Foundation
@testable import SciLearnService

/// One request through the service, as the task suites read it: the error's code and message
/// (nil and "" on success) and the whole response as JSON.
enum ServiceRun {
    static func outcome(_ body: String) throws -> (code: String?, message: String, object: [String: Any]) {
        let response = SciLearnService().run(body: Array(body.utf8))
        let object = try JSONSerialization.jsonObject(with: Data(response.json.utf8)) as! [String: Any]
        if case .failure(let e) = response.outcome { return (e.code.rawValue, e.message, object) }
        return (nil, "", object)
    }
}
