import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// A compressed tar (gzip, bzip2, xz or zstd, and nothing else), decompressed by libarchive's filters and handed over
/// as raw bytes.
///
/// Only decompression is libarchive's job here, and only with the four filters bundle.md section 3 accepts: with all
/// of them enabled, libarchive also undoes lz4 (whose skippable frames it passes over in silence), lzma, compress,
/// uuencode and more, and runs external programs (`lrzip`, `lzop`, `grzip`) for some. The tar format itself is read by Amana's own strict parser
/// (``TarReader``), so that what Amana verifies is exactly what every common tar tool would extract.
///
/// The compressed stream must also be the whole file: one layer of compression, one gzip member or zstd frame, and
/// nothing after it. Decoders pass over bytes after the end of a stream (libarchive in silence, gzip and bzip2 with a
/// warning), skip zstd's skippable frames, and decode a second gzip member whose header fields may carry anything;
/// such bytes are not part of the signed tar, yet they could make the file another format's polyglot or hide a second
/// payload. So when the stream ends, whatever was not consumed is `archive.trailing-data`, and so is a second member
/// or frame (bundle.md section 3).
final class DecompressingSource: TarByteSource {
    private let archive: OpaquePointer
    private let context: Context
    private var delivered: Int64 = 0
    private var finished = false
    /// The CRC-32 of the bytes delivered so far, for a gzip stream, to hold its trailer to.
    private var gzipCRC: CRC32?
    /// Found when the stream ended with data delivered in the same call; thrown on the next read.
    private var pendingFailure: TarReader.ReadFailure?

    /// Feeds libarchive from the shared file with pread, from offset 0, without touching the descriptor's offset.
    final class Context {
        let file: BundleFile
        var offset: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        var failure: String?
        /// For a zstd file: where the first frame ends, found as the bytes go by. libarchive gets nothing beyond it.
        var zstd: ZstdFrameScanner?
        var frameEnd: Int64?

        init(file: BundleFile) { self.file = file }
        deinit { buffer.deallocate() }

        /// The next bytes for libarchive: up to a buffer's worth, and never past the end of the first zstd frame.
        func next() throws -> Int {
            if let frameEnd, offset >= frameEnd { return 0 }
            var n = try file.read(at: offset, into: buffer)
            if n > 0, let inFrame = zstd?.scan(UnsafeRawBufferPointer(rebasing: buffer[..<n])) {
                n = inFrame
                frameEnd = offset + Int64(inFrame)
            }
            offset += Int64(n)
            return n
        }
    }

    /// Opens `file` for decompression; nil when none of the four accepted filters recognises it after all (a file
    /// that only starts like `BZh`), so that it is read as a plain tar.
    init?(file: BundleFile) throws {
        guard let archive = archive_read_new() else {
            throw AmanaError(.internalFailure, "libarchive could not start a reader")
        }
        self.archive = archive
        self.context = Context(file: file)
        if DecompressingSource.starts(file, with: ZstdFrameScanner.magic) { context.zstd = ZstdFrameScanner() }
        archive_read_support_filter_gzip(archive)
        archive_read_support_filter_bzip2(archive)
        archive_read_support_filter_xz(archive)
        archive_read_support_filter_zstd(archive)
        archive_read_support_format_raw(archive)
        let client = Unmanaged.passUnretained(context).toOpaque()
        let status = archive_read_open(archive, client, nil, { _, client, buffer in
            let context = Unmanaged<DecompressingSource.Context>.fromOpaque(client!).takeUnretainedValue()
            do {
                let n = try context.next()
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
            throw TarReader.ReadFailure(message: TarWriter.errorText(archive), code: ArchiveCode.formatInvalid)
        }
        // libarchive stacks a filter for every layer it recognises, the file itself being the last. Only the
        // outermost layer's end is checked, so a stream inside another could carry unchecked bytes after its end.
        let layers = archive_filter_count(archive) - 1
        if layers == 0 { return nil }
        guard layers == 1 else {
            let names = (0..<layers).map { String(cString: archive_filter_name(archive, $0)) }
            throw TarReader.ReadFailure(message: "the tar is compressed \(layers) times (\(names.joined(separator: " inside ")));"
                                        + " a bundle may be compressed once", code: ArchiveCode.formatInvalid)
        }
        if archive_filter_code(archive, 0) == ARCHIVE_FILTER_GZIP { gzipCRC = CRC32() }
    }

    /// Whether the file holds only zero bytes from `offset` on: the padding that tar writers add to fill their last
    /// record (`bsdtar -czf - ...` pads its gzip output so), which every decompressor ignores and which can carry
    /// nothing.
    private func zerosOnly(from offset: Int64) throws -> Bool {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        var offset = offset
        while true {
            let n = try context.file.read(at: offset, into: scratch)
            if n == 0 { return true }
            guard scratch[..<n].allSatisfy({ $0 == 0 }) else { return false }
            offset += Int64(n)
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    private static func starts(_ file: BundleFile, with magic: [UInt8]) -> Bool {
        var head = [UInt8](repeating: 0, count: magic.count)
        let n = (try? head.withUnsafeMutableBytes { try file.read(at: 0, into: $0) }) ?? 0
        return n == magic.count && head == magic
    }

    deinit { archive_read_free(archive) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let pendingFailure {
            self.pendingFailure = nil
            throw pendingFailure
        }
        var total = 0
        while total < buffer.count && !finished {
            let n = archive_read_data(archive, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 {
                throw TarReader.ReadFailure(message: context.failure ?? TarWriter.errorText(archive), code: ArchiveCode.truncated)
            }
            gzipCRC?.update(UnsafeRawBufferPointer(start: buffer.baseAddress! + total, count: n))
            if n == 0 { finished = true }
            total += n
        }
        delivered += Int64(total)
        if finished, pendingFailure == nil, let failure = try endFailure() {
            // The bytes already delivered are the tar's; the reader gets them first, then the failure.
            guard total == 0 else {
                pendingFailure = failure
                return total
            }
            throw failure
        }
        return total
    }

    /// Checks, once the decompressed stream has ended, that the compressed stream was the whole file.
    private func endFailure() throws -> TarReader.ReadFailure? {
        let name = String(cString: archive_filter_name(archive, 0))
        let consumed = archive_filter_bytes(archive, archive_filter_count(archive) - 1)
        let size = context.file.size
        if consumed < size, try !zerosOnly(from: consumed) {
            var head = [UInt8](repeating: 0, count: 4)
            let n = try head.withUnsafeMutableBytes { try context.file.read(at: consumed, into: $0) }
            let frame = context.zstd != nil && n == 4
                && (head == ZstdFrameScanner.magic || (head[0] & 0xF0 == 0x50 && head[1...] == [0x2A, 0x4D, 0x18]))
            let what = frame ? "another zstd frame" : "\(size - consumed) bytes"
            return TarReader.ReadFailure(
                message: "\(what) follow\(frame ? "s" : "") the end of the \(name) stream at byte \(consumed) of \(size): "
                    + "data outside the compressed tar, which no signature covers",
                code: ArchiveCode.trailingData)
        }
        guard let crc = gzipCRC?.value, consumed >= 8 else { return nil }
        // A gzip trailer is the CRC-32 and the length (mod 2^32) of its member's data, little-endian. With several
        // members, the last one's describes only that member, not everything delivered.
        var trailer = [UInt8](repeating: 0, count: 8)
        guard try trailer.withUnsafeMutableBytes({ try context.file.read(at: consumed - 8, into: $0) }) == 8 else { return nil }
        let storedCRC = trailer[0..<4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let storedLength = trailer[4..<8].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard storedCRC != crc || storedLength != UInt32(truncatingIfNeeded: delivered) else { return nil }
        return TarReader.ReadFailure(
            message: "the gzip stream is more than one member, or its trailer is damaged: the last trailer gives "
                + "\(storedLength) bytes with CRC-32 \(hex(storedCRC)), but the stream holds \(delivered) bytes with "
                + "CRC-32 \(hex(crc))",
            code: ArchiveCode.trailingData)
    }

    var counts: (raw: Int64, expanded: Int64) { (context.offset, delivered) }
}
