import Hummingbird

/// Reads a request body as it streams in, stopping at the limit: an oversized body is never
/// held whole, whatever its `Content-Length` (or its absence, with chunked encoding) says.
enum BodyReader {
    struct TooLarge: Error {}

    static func collect(_ body: RequestBody, limit: Int, expected: Int?) async throws -> ByteBuffer {
        var buffer = ByteBuffer()
        if let expected { buffer.reserveCapacity(min(expected, limit)) }
        for try await part in body {
            guard buffer.readableBytes + part.readableBytes <= limit else { throw TooLarge() }
            if buffer.readableBytes == 0, expected == nil {
                buffer = part
            } else {
                buffer.writeImmutableBuffer(part)
            }
        }
        return buffer
    }
}
