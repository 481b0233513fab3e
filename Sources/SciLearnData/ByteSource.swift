import SciLearnService

/// A stream of bytes a reference is read from (a local file, an S3 object's body, or either
/// through gzip): read in chunks, never held whole.
protocol ByteSource: AnyObject {
    /// Fills the start of `buffer` with the next bytes and returns how many; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int
}

extension ByteSource {
    /// Reads until `buffer` is full or the stream ends; returns how many bytes were read.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// ``readFully(into:)`` into `bytes[range]`.
    func readFully(_ bytes: inout [UInt8], _ range: Range<Int>) throws(DataSourceError) -> Int {
        try Self.into(&bytes, range) { (b) throws(DataSourceError) in try readFully(into: b) }
    }

    /// One ``read(into:)`` into `bytes[range]`.
    func read(_ bytes: inout [UInt8], _ range: Range<Int>) throws(DataSourceError) -> Int {
        try Self.into(&bytes, range) { (b) throws(DataSourceError) in try read(into: b) }
    }

    /// `body` on `bytes[range]` as a raw buffer (Array's closure cannot throw a typed error).
    private static func into(_ bytes: inout [UInt8], _ range: Range<Int>,
                             _ body: (UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int) throws(DataSourceError) -> Int {
        let result = bytes.withUnsafeMutableBytes { raw -> Result<Int, DataSourceError> in
            do throws(DataSourceError) {
                return .success(try body(UnsafeMutableRawBufferPointer(rebasing: raw[range])))
            } catch { return .failure(error) }
        }
        return try result.get()
    }
}
