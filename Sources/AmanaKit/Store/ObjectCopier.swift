import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Copies one source file into a partial object in the store while hashing it, then proves the copy from the disk.
///
/// The source is read once, in large reads; each buffer goes to SHA-256 and SHA-512 and, alongside, into the partial
/// file and the current chunk's SHA-256. After every ``chunkSize`` bytes the partial file is `fdatasync`ed and the
/// chunk's digest appended to the ``ResumeJournal``, so a copy interrupted at any point (SIGKILL, power) resumes from
/// the last complete chunk: its bytes are re-read from the partial file, checked against the journal, and fed to the
/// digests, and only the rest is read from the source.
///
/// At the end the partial file is fsynced, its pages are dropped from the page cache (`POSIX_FADV_DONTNEED`), and it is
/// read back and hashed again: the read-back digests must equal the ones taken from the source, so the proof comes
/// from the disk and not from memory. The caller then renames it into place.
final class ObjectCopier {
    /// Resume granularity: the most work an interruption can cost.
    static let defaultChunkSize = 64 << 20
    /// Bytes per read: large enough for long sequential I/O, small enough to keep memory flat.
    static let readSize = 4 << 20

    let layout: StoreLayout
    let chunkSize: Int
    private let buffer: UnsafeMutableRawBufferPointer

    init(layout: StoreLayout) {
        self.layout = layout
        self.chunkSize = StoreTestingHooks.chunkSize ?? ObjectCopier.defaultChunkSize
        self.buffer = .allocate(byteCount: ObjectCopier.readSize, alignment: 4096)
    }

    deinit { buffer.deallocate() }

    struct Copy {
        let partialPath: String
        let journalPath: String
        let sha256: String
        let sha512: String
        let size: UInt64
    }

    /// Hashes a source without copying it: for content that may already be stored.
    func hashOnly(_ source: ReadOnlyFile, display: String) throws -> (sha256: String, sha512: String) {
        let digest = MultiDigest([.sha256, .sha512])
        var offset: UInt64 = 0
        // Never past the size the file had when opened: a file that keeps growing would otherwise never end.
        while offset < source.size {
            let n = try pread(source, at: offset, limit: Int(min(UInt64(ObjectCopier.readSize), source.size - offset)))
            if n == 0 { break }
            try digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += UInt64(n)
            try StoreTestingHooks.afterSourceRead?(display, offset)
        }
        try ObjectCopier.checkUnchanged(source, readBytes: offset, display: display)
        let digests = digest.finalize()
        return (digests[.sha256]!.hex, digests[.sha512]!.hex)
    }

    /// Copies `source` to the partial object named by `identity`, resuming a journalled earlier attempt.
    func copy(_ source: ReadOnlyFile, identity: String, display: String) throws -> Copy {
        let partialPath = layout.partialPath(identity)
        let journalPath = layout.journalPath(identity)
        let fd = open(partialPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw AmanaError(.outputFailed, "cannot create a partial object in the store: \(POSIX.errorText())")
        }
        var closed = false
        defer { if !closed { close(fd) } }
        let digest = MultiDigest([.sha256, .sha512])
        var journal = ResumeJournal(path: journalPath, chunkSize: chunkSize, identity: identity)
        // A file smaller than one chunk has no complete chunk to resume from (a short last chunk is always copied
        // again), so it gets no journal: that saves four disk flushes per photo and resumes nothing less.
        let journalled = source.size >= UInt64(chunkSize)
        // Resume: keep the journalled chunks whose bytes in the partial file still hash to what the journal says.
        var good = [String]()
        if journalled, let old = ResumeJournal.load(path: journalPath, chunkSize: chunkSize, identity: identity) {
            good = try replay(fd: fd, journal: old, into: digest)
        }
        var offset = UInt64(good.count) * UInt64(chunkSize)
        guard ftruncate(fd, off_t(offset)) == 0 else {
            throw AmanaError(.outputFailed, "cannot prepare a partial object: \(POSIX.errorText())")
        }
        if journalled { try journal.reset(keeping: good) }

        var chunk = StreamingHasher(.sha256)
        var chunkFill = 0
        while offset < source.size {
            let want = Int(min(UInt64(min(ObjectCopier.readSize, chunkSize - chunkFill)), source.size - offset))
            let n = try pread(source, at: offset, limit: want)
            if n == 0 { break }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            let writeOffset = offset
            try digest.update(bytes) {
                if journalled { chunk.update(bytes) }
                try ObjectCopier.writeAll(fd, bytes, at: writeOffset)
            }
            offset += UInt64(n)
            chunkFill += n
            if chunkFill == chunkSize && journalled {
                try finishChunk(fd: fd, chunk: &chunk, journal: &journal)
                chunkFill = 0
            }
            try StoreTestingHooks.afterSourceRead?(display, offset)
        }
        if chunkFill > 0 && journalled { try finishChunk(fd: fd, chunk: &chunk, journal: &journal) }
        try ObjectCopier.checkUnchanged(source, readBytes: offset, display: display)
        let digests = digest.finalize()
        let sha256 = digests[.sha256]!.hex, sha512 = digests[.sha512]!.hex

        // Durable, then proven from the disk: fsync, drop the cached pages, read back and hash again.
        guard fsync(fd) == 0 else {
            throw AmanaError(.outputFailed, "cannot write a stored object to disk: \(POSIX.errorText())")
        }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        close(fd)
        closed = true
        let readBack = try ObjectCopier.digests(ofStored: partialPath, dropCache: true)
        guard readBack.sha256 == sha256, readBack.sha512 == sha512, readBack.size == offset else {
            unlink(partialPath)
            unlink(journalPath)
            throw AmanaError(.outputFailed, "the copy of \(display) read back from the disk differs from the source; nothing was stored",
                             hint: "the store's disk may be failing; run 'amana store verify'")
        }
        return Copy(partialPath: partialPath, journalPath: journalPath, sha256: sha256, sha512: sha512, size: offset)
    }

    /// Re-reads the journalled chunks from the partial file and returns the digests of the leading ones that still
    /// match; then feeds those chunks' bytes to `digest`. Two passes over the kept prefix, so that memory stays one
    /// read buffer however large a chunk is, and a bad chunk never reaches the digests.
    private func replay(fd: Int32, journal: ResumeJournal, into digest: MultiDigest) throws -> [String] {
        var good = [String]()
        var offset: UInt64 = 0
        for expected in journal.chunkDigests {
            let chunk = StreamingHasher(.sha256)
            let fill = try readStored(fd: fd, from: offset, count: chunkSize) { chunk.update($0) }
            guard Hex.encode(chunk.finalize().bytes) == expected else { break }
            good.append(expected)
            offset += UInt64(fill)
            // A short chunk is only ever the last one of a file; the copy goes on from its end.
            if fill < chunkSize { break }
        }
        if good.count * chunkSize > Int(offset) { good.removeLast() }  // a short chunk before the end: copy it again
        let kept = UInt64(good.count) * UInt64(chunkSize)
        _ = try readStored(fd: fd, from: 0, count: Int(kept)) { try digest.update($0) }
        return good
    }

    /// Reads up to `count` bytes of the partial file from `offset` through the read buffer.
    private func readStored(fd: Int32, from offset: UInt64, count: Int,
                            _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var fill = 0
        while fill < count {
            let n = Glibc.pread(fd, buffer.baseAddress, min(ObjectCopier.readSize, count - fill), off_t(offset) + off_t(fill))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw AmanaError(.outputFailed, "cannot read a partial object: \(POSIX.errorText())") }
            if n == 0 { break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            fill += n
        }
        return fill
    }

    private func finishChunk(fd: Int32, chunk: inout StreamingHasher, journal: inout ResumeJournal) throws {
        // The chunk's bytes are on disk before the journal says so.
        guard fdatasync(fd) == 0 else {
            throw AmanaError(.outputFailed, "cannot write a stored object to disk: \(POSIX.errorText())")
        }
        try journal.append(Hex.encode(chunk.finalize().bytes))
        chunk = StreamingHasher(.sha256)
    }

    private func pread(_ source: ReadOnlyFile, at offset: UInt64, limit: Int = ObjectCopier.readSize) throws -> Int {
        while true {
            let n = Glibc.pread(source.fd, buffer.baseAddress, limit, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw AmanaError(.inputUnreadable, "cannot read \(source.path): \(POSIX.errorText())")
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                if code == ENOSPC || code == EDQUOT {
                    throw AmanaError(.outputFailed, "the store's disk is full",
                                     hint: "free space or use another store; everything stored so far stays valid")
                }
                throw AmanaError(.outputFailed, "cannot write to the store: \(POSIX.errorText(code))")
            }
            done += n
        }
    }

    /// Refuses a source whose size or modification time changed while it was read, or that gave more or fewer
    /// bytes than its size: its digests would describe no version of the file that ever existed on the card.
    static func checkUnchanged(_ source: ReadOnlyFile, readBytes: UInt64, display: String) throws {
        var now = stat()
        guard fstat(source.fd, &now) == 0 else {
            throw AmanaError(.inputUnreadable, "cannot read \(display): \(POSIX.errorText())")
        }
        let before = source.info
        guard now.st_size == before.st_size, readBytes == UInt64(before.st_size),
              now.st_mtim.tv_sec == before.st_mtim.tv_sec, now.st_mtim.tv_nsec == before.st_mtim.tv_nsec
        else {
            throw AmanaError(.sourceChanged, "\(display) changed while it was copied; nothing of it was stored")
        }
    }

    /// Hashes a stored file (a partial copy or an object) from the disk.
    static func digests(ofStored path: String, dropCache: Bool) throws -> (sha256: String, sha512: String, size: UInt64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())") }
        defer { close(fd) }
        // Dropping the clean pages makes the kernel fetch them from the device, so the page cache cannot answer.
        if dropCache { _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) }
        StoreTestingHooks.beforeReadBack?(path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 4096)
        defer { buffer.deallocate() }
        let digest = MultiDigest([.sha256, .sha512])
        var size: UInt64 = 0
        while true {
            let n = read(fd, buffer.baseAddress, readSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())")
            }
            if n == 0 { break }
            try digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            size += UInt64(n)
        }
        let digests = digest.finalize()
        return (digests[.sha256]!.hex, digests[.sha512]!.hex, size)
    }
}
