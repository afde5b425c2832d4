import CArchive

/// Reads a tar (optionally gzip-, zstd-, xz- or bzip2-compressed) entry by entry, streaming each entry's data.
///
/// Only tar formats are enabled: a zip, a cpio or an ISO given as a bundle is refused as an unknown format rather
/// than read. Nothing is ever written to disk here; extraction is a separate, checked step.
final class TarReader {
    enum Kind: Equatable {
        case regular
        case directory
        case symbolicLink(target: String)
        case hardLink(target: String)
        case other(String)
    }

    struct Entry {
        /// The name as UTF-8, or nil when the stored bytes are not valid UTF-8.
        let path: String?
        /// The name for messages, with undecodable bytes escaped.
        let displayPath: String
        let kind: Kind
        let size: Int64
        let modified: Int64
    }

    /// Why reading stopped early. Not an `AmanaError`: for a verifier a broken archive is a finding.
    struct ReadFailure: Error {
        let message: String
        /// The finding code a verifier reports for it.
        var code = "archive.truncated"
    }

    /// Compressed input may expand this much (beyond ``expansionFloor`` bytes) before it counts as a decompression
    /// bomb. Real media barely compresses; text-heavy bags reach perhaps 10:1.
    static let maximumExpansion: Int64 = 1000
    /// Expansion below this many bytes is never judged (tests lower it to keep their bombs small).
    nonisolated(unsafe) static var expansionFloor: Int64 = 1 << 30

    private let archive: OpaquePointer
    let path: String

    init(path: String) throws {
        TarWriter.ensureUTF8Locale()
        guard let archive = archive_read_new() else {
            throw AmanaError(.internalFailure, "libarchive could not start a tar reader")
        }
        self.archive = archive
        self.path = path
        archive_read_support_filter_all(archive)
        archive_read_support_format_tar(archive)
        // Format detection happens here, so a file that is readable but not a tar fails here: that is a
        // ReadFailure (a finding for a verifier), not an unreadable input.
        // Every stored property is set, so deinit runs (and frees the archive) if this throws.
        guard archive_read_open_filename(archive, path, 1 << 20) == ARCHIVE_OK else {
            throw ReadFailure(message: TarWriter.errorText(archive))
        }
    }

    deinit { archive_read_free(archive) }

    /// The next entry's header, nil at the clean end of the archive.
    func next() throws -> Entry? {
        var entryPointer: OpaquePointer?
        let status = archive_read_next_header(archive, &entryPointer)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry = entryPointer else {
            throw ReadFailure(message: TarWriter.errorText(archive))
        }
        let utf8 = archive_entry_pathname_utf8(entry).map { String(cString: $0) }
        let raw = archive_entry_pathname(entry).map { TarReader.bytes($0) } ?? []
        let display = utf8 ?? DirectoryWalker.escape(raw)
        let kind: Kind
        if let target = archive_entry_hardlink(entry) {
            kind = .hardLink(target: String(cString: target))
        } else {
            switch archive_entry_filetype(entry) {
            case TarWriter.regularFile: kind = .regular
            case TarWriter.directory: kind = .directory
            case 0o120000: kind = .symbolicLink(target: archive_entry_symlink(entry).map { String(cString: $0) } ?? "")
            case 0o020000: kind = .other("character device")
            case 0o060000: kind = .other("block device")
            case 0o010000: kind = .other("fifo")
            case 0o140000: kind = .other("socket")
            default: kind = .other("entry of unknown type")
            }
        }
        return Entry(
            path: utf8,
            displayPath: display,
            kind: kind,
            size: archive_entry_size(entry),
            modified: Int64(archive_entry_mtime(entry))
        )
    }

    /// Reads the current entry's data; returns 0 at the end of the entry.
    func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = archive_read_data(archive, buffer.baseAddress, buffer.count)
        guard n >= 0 else { throw ReadFailure(message: TarWriter.errorText(archive)) }
        let bytes = byteCounts
        if bytes.expanded > TarReader.expansionFloor && bytes.expanded > bytes.raw * TarReader.maximumExpansion {
            throw ReadFailure(message: "the compressed archive expands more than \(TarReader.maximumExpansion) to 1 (a decompression bomb); reading stopped",
                              code: "archive.limit.expansion")
        }
        return n
    }

    /// Fills `buffer` unless the entry ends first; returns the byte count.
    func readDataFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = try readData(into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Bytes read from the file so far, and bytes handed to the tar reader after decompression; equal for a plain tar.
    var byteCounts: (raw: Int64, expanded: Int64) {
        let filters = archive_filter_count(archive)
        return (archive_filter_bytes(archive, filters - 1), archive_filter_bytes(archive, 0))
    }

    /// Skips the rest of the current entry's data.
    func skipData() throws {
        guard archive_read_data_skip(archive) == ARCHIVE_OK else {
            throw ReadFailure(message: TarWriter.errorText(archive))
        }
    }

    private static func bytes(_ pointer: UnsafePointer<CChar>) -> [UInt8] {
        var out = [UInt8]()
        var p = pointer
        while p.pointee != 0 {
            out.append(UInt8(bitPattern: p.pointee))
            p += 1
        }
        return out
    }
}
