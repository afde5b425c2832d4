#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small wrappers over POSIX calls, so the rest of the library speaks `AmanaError` and never touches `errno`.
enum POSIX {
    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code)).lowercased()
    }

    /// `lstat` without following a final symlink.
    static func lstat(_ path: String) -> stat? {
        var info = stat()
        return Glibc.lstat(path, &info) == 0 ? info : nil
    }

    static func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }
    static func isRegular(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFREG }

    /// A short word for a file type, for error messages.
    static func kindName(_ info: stat) -> String {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return "regular file"
        case S_IFDIR: return "directory"
        case S_IFLNK: return "symbolic link"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        case S_IFIFO: return "fifo"
        case S_IFSOCK: return "socket"
        default: return "special file"
        }
    }

    static func exists(_ path: String) -> Bool { lstat(path) != nil }

    /// The name in a `readdir` record, as raw bytes.
    ///
    /// The record can be shorter than `struct dirent`: the kernel packs records end to end, each only as long as its
    /// name. So `d_name` is read through a pointer up to its NUL and never copied as a whole 256-byte field; copying
    /// it (`entry.pointee.d_name`) reads past the kernel's buffer and crashed a seal of 20,000 files whose last record
    /// ended a page.
    static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> [UInt8] {
        let name = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        return Array(UnsafeRawBufferPointer(start: name, count: strlen(name.assumingMemoryBound(to: CChar.self))))
    }

    /// Writes all of `buffer` to `fd`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw AmanaError(.outputFailed, "cannot write \(path): \(errorText())")
            }
            offset += n
        }
    }

    /// Flushes every file of the file system that holds `path` to disk (`syncfs`), and reports write-back errors.
    /// Nil when the C library has no `syncfs` (it is Linux's, and Swift's Glibc module does not import it, so it is
    /// looked up at run time); the caller then fsyncs file by file.
    ///
    /// Why: extracting 20,000 photos with one fsync each took half a minute on ext4; one `syncfs` before the
    /// staging folder is renamed gives the same guarantee (everything is on disk before it appears under its name).
    static func syncFileSystem(containing path: String) -> Bool? {
        typealias SyncFS = @convention(c) (Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "syncfs") else { return nil }
        let syncfs = unsafeBitCast(symbol, to: SyncFS.self)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return syncfs(fd) == 0
    }

    static func fsyncDirectory(containing path: String) {
        let dir = parentDirectory(of: path)
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func lastComponent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc has `renameat2` since 2.28, but Swift's Glibc module does not import it, so it is looked up once.
    private static let renameat2: RenameAt2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    /// Renames `from` to `to` atomically, failing with `EEXIST` instead of replacing an existing `to`.
    ///
    /// Plain `rename` silently replaces a file (and an empty folder), which would break "never overwrites". Where
    /// the file system lacks `RENAME_NOREPLACE` (some FUSE and exFAT mounts on SD cards) it tries `link` (atomic, for
    /// files), and only where that fails too (folders, file systems without hard links) a check followed by `rename`,
    /// which is not race-free but is the best those file systems offer.
    static func renameNoReplace(_ from: String, _ to: String) -> Int32 {
        let noReplace: UInt32 = 1  // RENAME_NOREPLACE
        if let renameat2 {
            let result = renameat2(AT_FDCWD, from, AT_FDCWD, to, noReplace)
            if result == 0 || (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) { return result }
        }
        // link() fails atomically with EEXIST; for files it gives no-replace semantics where renameat2 cannot.
        if link(from, to) == 0 {
            unlink(from)
            return 0
        }
        if errno == EEXIST { return -1 }
        if exists(to) {
            errno = EEXIST
            return -1
        }
        return rename(from, to)
    }
}
