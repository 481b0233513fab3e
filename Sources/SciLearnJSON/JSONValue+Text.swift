/// JSON text in and out, for transports that store or forward documents (the queue's
/// destination records, the job status document).
extension JSONValue {
    /// Parses JSON text strictly (RFC 8259, duplicate keys rejected), nesting at most `maxDepth`.
    /// - Returns: nil when `bytes` is not one JSON value.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = JSONValue.defaultMaxDepth) -> JSONValue? {
        try? JSONParser.parse(bytes, maxDepth: maxDepth)
    }

    /// The nesting limit of ``parse(_:maxDepth:)`` by default (the service's default too).
    public static let defaultMaxDepth = 64

    /// The value as compact JSON text (keys in their order).
    public var jsonText: String { JSONWriter.write(self) }
}
