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

    /// Whether `path` is a folder.
    static func isFolder(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes `bytes` as `folder/name` atomically (a temporary file renamed over it), never
    /// through a symbolic link.
    static func write(_ bytes: [UInt8], folder: String, name: String) throws(DataSourceError) {
        let target = folder + "/" + name
        let temporary = folder + "/." + name + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw DataSourceError("cannot be written: \(String(cString: strerror(errno)))") }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return fsync(fd) == 0
        }
        let error = errno
        close(fd)
        guard ok, rename(temporary, target) == 0 else {
            unlink(temporary)
            throw DataSourceError("cannot be written: \(String(cString: strerror(ok ? errno : error)))")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw DataSourceError("could not be read: \(String(cString: strerror(errno)))")
        }
    }
}
