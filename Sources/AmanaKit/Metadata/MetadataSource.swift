import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Random access to a file's bytes within ``MetadataLimits``: parsers seek, they never stream the whole file.
///
/// An in-memory source serves an embedded block (an EXIF segment) through the same checks, and a borrowed buffer
/// serves a file the sealer has already read whole: the same reads, counted against the same limits, so the record is
/// the same whichever way the bytes arrive.
final class MetadataSource {
    let size: UInt64
    private let handle: FileHandle?
    private let memory: [UInt8]
    /// Bytes owned by the caller, valid for as long as this source is used (``init(borrowing:)``).
    private let borrowed: UnsafeRawBufferPointer?
    private var bytesRead = 0
    private var reads = 0

    init(handle: FileHandle, size: UInt64) {
        self.handle = handle
        self.size = size
        self.memory = []
        self.borrowed = nil
    }

    init(bytes: [UInt8]) {
        self.handle = nil
        self.memory = bytes
        self.size = UInt64(bytes.count)
        self.borrowed = nil
    }

    /// A whole file already in memory (a slot of the sealer's read ring). The caller keeps `buffer` valid until it
    /// is done with this source and everything read from it; reads copy out, so what a parser keeps is its own.
    init(borrowing buffer: UnsafeRawBufferPointer) {
        self.handle = nil
        self.memory = []
        self.borrowed = buffer
        self.size = UInt64(buffer.count)
    }

    /// Exactly `count` bytes at `offset`, or a truncation finding when the file ends first.
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard count >= 0, count <= MetadataLimits.structureBytes else {
            throw MetadataParseError(MetadataParseError.limit, "a structure of \(count) bytes is larger than the limit")
        }
        guard offset <= size, UInt64(count) <= size - offset else {
            throw MetadataParseError(MetadataParseError.truncated,
                                     "a structure at offset \(offset) runs past the end of the file (\(size) bytes)")
        }
        if count == 0 { return [] }
        reads += 1
        bytesRead += count
        guard reads <= MetadataLimits.reads else {
            throw MetadataParseError(MetadataParseError.limit, "the file needs more than \(MetadataLimits.reads) reads")
        }
        guard bytesRead <= MetadataLimits.bytesRead else {
            throw MetadataParseError(MetadataParseError.limit, "the file needs more than \(MetadataLimits.bytesRead) bytes read")
        }
        if let borrowed { return Array(UnsafeRawBufferPointer(rebasing: borrowed[Int(offset)..<Int(offset) + count])) }
        guard let handle else { return Array(memory[Int(offset)..<Int(offset) + count]) }
        // pread: one system call per read, no seek and no intermediate Data.
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(handle.fileDescriptor, buffer.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
            }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else {
                throw MetadataParseError(MetadataParseError.unreadable, "reading at offset \(offset) failed: errno \(errno)")
            }
            guard n > 0 else {
                throw MetadataParseError(MetadataParseError.truncated, "the file ended while reading at offset \(offset)")
            }
            filled += n
        }
        return bytes
    }
}
