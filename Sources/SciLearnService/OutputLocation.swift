/// A request's `output` (CONTRACT.md, "Data and results by reference"): where the full response
/// is written, `<url><id>.json`, and, when `arrays` asks, each array of the result as a file of
/// its own (`<url><id>.<field>.npy` or `.csv`). The response then carries `output` (the files'
/// URLs and sizes) and keeps only the result's scalar fields.
public struct OutputLocation: Sendable, Equatable {
    /// How the result's arrays are written besides the JSON.
    public enum Arrays: String, Sendable, CaseIterable {
        /// Only in the JSON.
        case none
        /// Each numeric array also as a float64 `.npy` (a matrix as rows × columns, C order);
        /// labels that are strings as CSV.
        case npy
        /// Each array also as a CSV with a header (`field`, or `field_0`, `field_1`, ... for rows).
        case csv
    }

    /// A folder (`file:///DIR/`) or key prefix (`s3://BUCKET/PREFIX/`), ending in `/`.
    public var url: String
    public var arrays: Arrays

    static let keys = ["url", "arrays"]

    /// The `output` member, read strictly.
    /// - Throws: `invalid_params` naming `output` or its member at fault.
    static func read(_ value: JSONValue) throws(ServiceError) -> OutputLocation {
        guard case .object(let o) = value else {
            throw ServiceError(.invalidParams, "output: must be an object {\"url\": \"s3://BUCKET/PREFIX/\" or \"file:///DIR/\"}; got \(Params.describe(value))")
        }
        for key in o.keys where !keys.contains(key) {
            throw ServiceError(.invalidParams, "output.\(key): unknown member\(Suggestion.hint(key, keys)) (output has url and arrays)")
        }
        guard let urlValue = o["url"], urlValue != .null else {
            throw ServiceError(.invalidParams, "output.url: is required: a folder or key prefix ending in '/' (s3://BUCKET/PREFIX/ or file:///DIR/)")
        }
        guard case .string(let url) = urlValue, !url.isEmpty else {
            throw ServiceError(.invalidParams, "output.url: must be a string, a folder or key prefix ending in '/'; got \(Params.describe(urlValue))")
        }
        guard url.hasSuffix("/") else {
            throw ServiceError(.invalidParams, "output.url: must end in '/' (a folder or key prefix; the response is written to <url><id>.json); got \"\(url)\"")
        }
        var arrays = Arrays.none
        switch o["arrays"] {
        case nil, .null?: break
        case .string(let s)?:
            guard let a = Arrays(rawValue: s) else {
                throw ServiceError(.invalidParams, "output.arrays: must be \"none\", \"npy\" or \"csv\"\(Suggestion.hint(s, Arrays.allCases.map(\.rawValue))); got \"\(s)\"")
            }
            arrays = a
        case let v?:
            throw ServiceError(.invalidParams, "output.arrays: must be \"none\", \"npy\" or \"csv\"; got \(Params.describe(v))")
        }
        return OutputLocation(url: url, arrays: arrays)
    }
}
