import SciLearnService
import Testing

/// One table read two ways (as row count and every value's bits, or the error): both succeed
/// with the same rows and bits, or both fail with the same message.
func expectSameReading(_ first: Result<(Int, [UInt64]), DataSourceError>, _ second: Result<(Int, [UInt64]), DataSourceError>,
                       _ label: String, sourceLocation: SourceLocation) {
    switch (first, second) {
    case (.success(let a), .success(let b)):
        #expect(a.0 == b.0 && a.1 == b.1, "\(label): \(a.0) rows vs \(b.0); \(zip(a.1, b.1).filter { $0 != $1 }.count) values differ",
                sourceLocation: sourceLocation)
    case (.failure(let a), .failure(let b)):
        #expect(a == b, "\(label): \(a.message) vs \(b.message)", sourceLocation: sourceLocation)
    default:
        Issue.record("\(label): \(first) vs \(second)", sourceLocation: sourceLocation)
    }
}
