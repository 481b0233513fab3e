import Foundation

/// Locates and loads the committed fixtures under `Tests/Fixtures/` (written by
/// `Tests/Fixtures/generate.py`) and the shared reference data beside the project.
public enum Fixtures {
    /// `Tests/Fixtures/`, found from this source file's path so that no resource bundle is needed.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The raw bytes of `Tests/Fixtures/<name>`.
    public static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// `Tests/Fixtures/<name>` parsed as JSON.
    public static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: data(name))
    }
}
