/// A numeric array of a request's `data`, read by the parser's fast path into one flat buffer:
/// a vector (`columns == nil`, `rows` numbers) or a matrix of `rows` equal-length rows,
/// row-major as the JSON text lists them.
package struct PackedNumbers: Sendable {
    /// Values, or rows.
    package var rows: Int
    /// nil for an array of numbers; the common row length for an array of rows.
    package var columns: Int?
    /// Row-major values.
    package var values: [Double]

    /// The same array as a value tree, for readers that want another shape (their errors then
    /// name the element at fault exactly as for a text that was never packed).
    package var jsonValue: JSONValue {
        guard let columns else { return .array(values.map { .number($0) }) }
        return .array((0..<rows).map { i in .array(values[(i * columns)..<((i + 1) * columns)].map { .number($0) }) })
    }
}
