/// A task of the job contract, by its wire name. Only names declared in ``TaskTable`` exist:
/// `TaskName(rawValue:)` is nil for any other.
public struct TaskName: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The task's wire name, e.g. `linear_regression`.
    public let rawValue: String

    /// The task of this wire name, or nil when no task is declared under it.
    public init?(rawValue: String) {
        guard TaskTable.declaration(named: rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    init(declared name: String) { rawValue = name }

    /// Every task, in the table's order.
    public static var allCases: [TaskName] { TaskTable.all.map { TaskName(declared: $0.name) } }

    /// The wire name.
    public var description: String { rawValue }

    var declaration: TaskDeclaration { TaskTable.declaration(named: rawValue)! }

    /// Decodes a wire name, throwing `DecodingError.dataCorrupted` for an unknown task.
    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let t = TaskName(rawValue: s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown task \(s)"))
        }
        self = t
    }
}
