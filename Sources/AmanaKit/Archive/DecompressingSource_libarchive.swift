import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// A compressed tar (gzip, bzip2, xz, zstd, ...), decompressed by libarchive's filters and handed over as raw bytes.
///
/// Only decompression is libarchive's job here. The tar format itself is read by Amana's own strict parser
/// (``TarReader``), so that what Amana verifies is exactly what every common tar tool would extract.
final class DecompressingSource: TarByteSource {
    private let archive: OpaquePointer
    private let context: Context
    private var delivered: Int64 = 0
    private var finished = false

    /// Feeds libarchive from the shared file with pread, from offset 0, without touching the descriptor's offset.
    final class Context {
        let file: BundleFile
        var offset: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        var failure: String?

        init(file: BundleFile) { self.file = file }
        deinit { buffer.deallocate() }
    }

    /// Whether the file starts with the magic bytes of a compression format libarchive can undo.
    static func isCompressed(_ file: BundleFile) -> Bool {
        var magic = [UInt8](repeating: 0, count: 6)
        let n = (try? magic.withUnsafeMutableBytes { try file.read(at: 0, into: $0) }) ?? 0
        let head = Array(magic.prefix(n))
        let signatures: [[UInt8]] = [[0x1F, 0x8B], [0x28, 0xB5, 0x2F, 0xFD], [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00],
                                     Array("BZh".utf8), [0x5D, 0x00, 0x00], [0x04, 0x22, 0x4D, 0x18], [0x1F, 0x9D]]
        return signatures.contains { head.starts(with: $0) }
    }

    init(file: BundleFile) throws {
        guard let archive = archive_read_new() else {
            throw AmanaError(.internalFailure, "libarchive could not start a reader")
        }
        self.archive = archive
        self.context = Context(file: file)
        archive_read_support_filter_all(archive)
        archive_read_support_format_raw(archive)
        let client = Unmanaged.passUnretained(context).toOpaque()
        let status = archive_read_open(archive, client, nil, { _, client, buffer in
            let context = Unmanaged<DecompressingSource.Context>.fromOpaque(client!).takeUnretainedValue()
            do {
                let n = try context.file.read(at: context.offset, into: context.buffer)
                context.offset += Int64(n)
                buffer?.pointee = UnsafeRawPointer(context.buffer.baseAddress)
                return la_ssize_t(n)
            } catch {
                context.failure = "\(error)"
                return -1
            }
        }, nil)
        // Every stored property is set, so deinit frees the archive if this throws.
        var entry: OpaquePointer?
        guard status == ARCHIVE_OK, archive_read_next_header(archive, &entry) == ARCHIVE_OK else {
            throw TarReader.ReadFailure(message: TarWriter.errorText(archive), code: "archive.format.invalid")
        }
    }

    deinit { archive_read_free(archive) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < buffer.count && !finished {
            let n = archive_read_data(archive, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 {
                throw TarReader.ReadFailure(message: context.failure ?? TarWriter.errorText(archive), code: "archive.truncated")
            }
            if n == 0 { finished = true }
            total += n
        }
        delivered += Int64(total)
        return total
    }

    var counts: (raw: Int64, expanded: Int64) { (context.offset, delivered) }
}
