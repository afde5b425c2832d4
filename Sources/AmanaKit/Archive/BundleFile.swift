#if canImport(Glibc)
import Glibc
#endif

/// A bundle file opened once, read-only, and checked to be a regular file.
///
/// Verification and extraction read the same open file, from offset 0 each time, so the bundle cannot be swapped
/// for another file between the two passes by renaming; changes written into the same file are caught by comparing
/// each extracted file's digest with what verification read.
final class BundleFile {
    let path: String
    let fd: Int32
    let size: Int64
    /// Set for an age-encrypted bundle: the identities its tar is decrypted with as it is read (``AgeDecryptingSource``).
    let identities: [AgeIdentity]?

    init(path: String, identities: [AgeIdentity]? = nil) throws {
        self.identities = identities
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())")
        }
        guard POSIX.isRegular(info) else {
            close(fd)
            throw AmanaError(.usage, "\(path) is a \(POSIX.kindName(info)); a bundle must be a regular file or a folder")
        }
        _ = fcntl(fd, F_SETFL, 0)
        self.path = path
        self.fd = fd
        self.size = Int64(info.st_size)
    }

    deinit { close(fd) }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at end of file.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw TarReader.ReadFailure(message: "cannot read \(path): \(POSIX.errorText())", code: ArchiveCode.unreadable)
        }
    }
}

/// The bytes of a tar stream, after any decompression, read in order.
protocol TarByteSource: AnyObject {
    /// Fills `buffer` as far as the stream allows; fewer bytes (or 0) only at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes taken from the file so far, and bytes delivered after decompression.
    var counts: (raw: Int64, expanded: Int64) { get }
}

/// An uncompressed tar: the file itself, read with its own offset.
final class PlainTarSource: TarByteSource {
    private let file: BundleFile
    private var offset: Int64 = 0

    init(file: BundleFile) { self.file = file }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
            if n == 0 { break }
            total += n
            offset += Int64(n)
        }
        return total
    }

    var counts: (raw: Int64, expanded: Int64) { (offset, offset) }
}
