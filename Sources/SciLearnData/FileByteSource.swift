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

    /// Opens the regular file at `path` (a real path: symbolic links are not followed), which
    /// must still lie under one of `roots` once open (the path the descriptor really names is
    /// checked, so a folder swapped for a link between the check and the open is caught).
    /// Opened without blocking, so that a named pipe is refused rather than waited on.
    init(path: String, roots: [FileRoot]) throws(DataSourceError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { throw DataSourceError("cannot be opened: \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw DataSourceError("is not a regular file")
        }
        guard let opened = Self.openedPath(fd), roots.contains(where: { $0.contains(opened) }) else {
            close(fd)
            throw DataSourceError("resolves outside the allowed data roots")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.fd = fd
        self.size = Int(st.st_size)
    }

    /// The path an open descriptor names (Linux's /proc/self/fd), nil where that is not known.
    static func openedPath(_ fd: Int32) -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        return nil
        #endif
    }

    deinit { close(fd) }

    /// The whole file mapped read-only, or nil when it cannot be (the caller reads it instead).
    func mapped() -> MappedFile? {
        guard size > 0, let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        return MappedFile(base: UnsafeRawPointer(p), count: size)
    }

    /// Whether `path` is a folder.
    static func isFolder(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes `bytes` as `folder/name` atomically (a temporary file renamed over it), never
    /// through a symbolic link: the folder is opened once, checked to lie under `roots` by the
    /// path its descriptor names, and the file is created and renamed relative to it.
    static func write(_ bytes: [UInt8], folder: String, name: String, roots: [FileRoot]) throws(DataSourceError) {
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard dir >= 0 else { throw DataSourceError("cannot be opened as a folder: \(String(cString: strerror(errno)))") }
        defer { close(dir) }
        guard let opened = openedPath(dir), roots.contains(where: { $0.contains(opened) }) else {
            throw DataSourceError("resolves outside the allowed output roots")
        }
        let temporary = "." + name + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = openat(dir, temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
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
        guard ok, renameat(dir, temporary, dir, name) == 0 else {
            unlinkat(dir, temporary, 0)
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

    /// Fills `buffer` from byte `offset` of the file (`pread`: the descriptor's position does not
    /// move, so several threads may read apart); fewer bytes only at the file's end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(DataSourceError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw DataSourceError("could not be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}
