/// JSON text in and out, for transports that store or forward documents (the queue's
/// destination records, the job status document).
extension JSONValue {
    /// Parses JSON text strictly (RFC 8259, duplicate keys rejected), nesting at most `maxDepth`.
    /// - Returns: nil when `bytes` is not one JSON value.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = ServiceLimits().maxDepth) -> JSONValue? {
        try? JSONParser.parse(bytes, maxDepth: maxDepth)
    }

    /// The value as compact JSON text (keys in their order).
    public var jsonText: String { JSONWriter.write(self) }
}
