#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SciLearnService

/// A local file read with `read(2)`; the descriptor is closed when the source goes.
final class FileByteSource: ByteSource {
    private let fd: Int32
    /// The file's size in bytes when it was opened.
    let size: Int

    /// Opens the regular file at `path` (a real path: symbolic links are not followed).
    init(path: String) throws(DataSourceError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw DataSourceError("cannot be opened: \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw DataSourceError("is not a regular file")
        }
        self.fd = fd
        self.size = Int(st.st_size)
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw DataSourceError("could not be read: \(String(cString: strerror(errno)))")
        }
    }
}
