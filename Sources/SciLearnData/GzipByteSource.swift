import CompressNIO
import NIOCore
import SciLearnService

/// A gzip stream inflated on the fly (compress-nio's zlib inflater): the decompressed bytes of
/// `inner`, read in chunks, never held whole. A stream that ends before its trailer (a
/// truncated file) or holds bytes that are not gzip is an error, never a silently short table.
final class GzipByteSource: ByteSource {
    private let inner: ByteSource
    private let inflater: ZlibDecompressor
    private var compressed: ByteBuffer
    private var plain: ByteBuffer
    private var innerAtEnd = false
    private var ended = false
    private var scratch: [UInt8]

    static let chunk = 1 << 20

    init(_ inner: ByteSource) throws(DataSourceError) {
        self.inner = inner
        do {
            inflater = try ZlibDecompressor(algorithm: .gzip)
        } catch {
            throw DataSourceError("could not start gzip decompression: \(error)")
        }
        compressed = ByteBufferAllocator().buffer(capacity: Self.chunk)
        plain = ByteBufferAllocator().buffer(capacity: Self.chunk)
        scratch = [UInt8](repeating: 0, count: Self.chunk)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int {
        while plain.readableBytes == 0 {
            if ended { return 0 }
            try inflateMore()
        }
        let n = min(buffer.count, plain.readableBytes)
        plain.withUnsafeReadableBytes { src in
            UnsafeMutableRawBufferPointer(rebasing: buffer[..<n]).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[..<n]))
        }
        plain.moveReaderIndex(forwardBy: n)
        return n
    }

    /// Inflates into `plain` (emptied first) until it holds something or the stream ends.
    private func inflateMore() throws(DataSourceError) {
        plain.clear()
        if compressed.readableBytes == 0 {
            if innerAtEnd {
                // No input left: the stream must have reached its end (an empty inflate at the end
                // answers Z_STREAM_END; before it, Z_BUF_ERROR).
                do {
                    try inflater.inflate(from: &compressed, to: &plain)
                    ended = plain.readableBytes == 0
                    return
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    return   // output still pending: read it first
                } catch {
                    throw DataSourceError("its gzip stream ends early: the file is truncated")
                }
            }
            compressed.clear()
            let n = try inner.read(&scratch, 0..<scratch.count)
            if n == 0 { innerAtEnd = true; return }
            compressed.writeBytes(scratch[..<n])
        }
        do {
            try inflater.inflate(from: &compressed, to: &plain)
            // A normal return with input left over means the stream ended (Z_STREAM_END).
            if compressed.readableBytes > 0 {
                throw DataSourceError("has bytes after the end of its gzip stream (concatenated gzip members are not read)")
            }
        } catch let error as DataSourceError {
            throw error
        } catch let error as CompressNIOError where error == .bufferOverflow || error == .inputBufferOverflow {
            // The output is full, or the input is used up: both mean "call again".
        } catch {
            throw DataSourceError("is not a valid gzip stream (\(error))")
        }
    }
}

/// The first bytes of a source put back in front of the rest: what sniffing a format leaves.
final class PrefixedByteSource: ByteSource {
    private var prefix: [UInt8]
    private let rest: ByteSource

    init(_ prefix: [UInt8], _ rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int {
        guard !prefix.isEmpty else { return try rest.read(into: buffer) }
        let n = min(buffer.count, prefix.count)
        prefix.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[..<n]).copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        prefix.removeFirst(n)
        return n
    }

    /// `source`, inflated when it starts with gzip's magic bytes (1f 8b); with its length when
    /// it is not compressed.
    static func decompressing(_ source: ByteSource, length: Int?) throws(DataSourceError) -> (source: ByteSource, length: Int?) {
        var head = [UInt8](repeating: 0, count: 2)
        let n = try source.readFully(&head, 0..<2)
        let unread = PrefixedByteSource(Array(head[..<n]), source)
        if n == 2 && head[0] == 0x1F && head[1] == 0x8B { return (try GzipByteSource(unread), nil) }
        return (unread, length)
    }
}
