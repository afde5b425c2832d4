#if canImport(Glibc)
import Glibc
#endif

/// A source file opened for reading only, never following a symlink, and checked to be a regular file.
///
/// Originals are evidence: Amana opens them with `O_RDONLY | O_NOFOLLOW`, so no code path can write to them, and a
/// symlink swapped in at the last moment is refused rather than followed. `O_NOATIME` is tried first so that reading
/// does not even change the access time where the kernel allows it (the file's owner or root).
final class ReadOnlyFile {
    let path: String
    let fd: Int32
    let size: UInt64
    let info: stat

    convenience init(path: String) throws {
        try self.init(rawPath: Array(path.utf8CString), display: path)
    }

    /// Opens a path given as raw bytes (NUL-terminated), for names that are not valid UTF-8; `display` is for messages.
    init(rawPath: [CChar], display path: String) throws {
        self.path = path
        let flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK
        var fd = rawPath.withUnsafeBufferPointer { open($0.baseAddress!, flags | ReadOnlyFile.noAccessTime) }
        if fd < 0 && errno == EPERM {
            fd = rawPath.withUnsafeBufferPointer { open($0.baseAddress!, flags) }
        }
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                throw AmanaError(.inputInvalid, "\(path) is a symbolic link; amana seals regular files only")
            }
            throw AmanaError(.inputUnreadable, "cannot open \(path): \(POSIX.errorText(code))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText(code))")
        }
        guard POSIX.isRegular(info) else {
            close(fd)
            throw AmanaError(.inputInvalid, "\(path) is a \(POSIX.kindName(info)), not a regular file")
        }
        // O_NONBLOCK only kept a fifo from blocking the open; regular reads ignore it, but clear it anyway. Only that
        // flag: F_SETFL with 0 also cleared O_NOATIME, and every read then moved the original's access time.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.fd = fd
        self.info = info
        self.size = UInt64(info.st_size)
    }

    /// Linux's `O_NOATIME`, which Swift's Glibc module does not import.
    static let noAccessTime: Int32 = 0o1000000

    deinit { close(fd) }

    /// Reads up to `buffer.count` bytes, retrying on EINTR. Returns 0 at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())")
        }
    }

    /// Fills the buffer completely unless end of file comes first; returns the byte count read.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Reads a whole small file, refusing anything larger than `limit`.
    static func readAll(_ path: String, limit: Int) throws -> [UInt8] {
        let file = try ReadOnlyFile(path: path)
        guard file.size <= UInt64(limit) else {
            throw AmanaError(.inputInvalid, "\(path) is larger than \(limit) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: Int(file.size) + 1)
        let n = try bytes.withUnsafeMutableBytes { try file.readFully(into: $0) }
        guard n <= Int(file.size) else {
            throw AmanaError(.sourceChanged, "\(path) grew while it was being read")
        }
        return Array(bytes.prefix(n))
    }
}
