#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A file mapped read-only into memory (``FileByteSource/mapped()``), unmapped when it goes.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int

    /// Mappings at least this large are unmapped on a background thread.
    static let unmapBehindBytes = 64 << 20

    init(base: UnsafeRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    deinit {
        // Unmapping tears down a page-table entry per 4 KiB page that was touched: about 20 ms
        // for a 1 GB file on one thread here, time the reader's caller need not wait for (its
        // matrix is ready). Large mappings go on a utility thread; the pages stay mapped, unread,
        // until it runs, and the process's exit unmaps them should it come first.
        let address = UInt(bitPattern: base), length = count
        if length >= Self.unmapBehindBytes {
            DispatchQueue.global(qos: .utility).async {
                _ = munmap(UnsafeMutableRawPointer(bitPattern: address), length)
            }
        } else {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }
}
