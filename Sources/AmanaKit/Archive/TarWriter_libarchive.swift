import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// Writes a pax tar, entry by entry, streaming file data straight through.
///
/// The format is "pax restricted": a plain ustar header for every entry, plus a pax extended header only where ustar
/// cannot say it (long or non-ASCII names, sizes of 8 GiB or more). That is what `bsdtar`, GNU tar and Python's
/// tarfile read everywhere. Names are handed to libarchive as UTF-8, so they are stored as UTF-8 whatever the locale.
final class TarWriter {
    private let archive: OpaquePointer
    private let label: String
    private let output: AtomicOutput
    private var finished = false
    /// The first error the output threw inside libarchive's write callback.
    private var writeError: Error?

    /// libarchive writes about 3 times faster with 1 MiB blocks than with its 10 KiB default.
    private static let blockSize: Int32 = 1 << 20

    /// The regular-file type bits (`AE_IFREG`), a macro Swift cannot import.
    static let regularFile: UInt32 = 0o100000
    /// The folder type bits (`AE_IFDIR`).
    static let directory: UInt32 = 0o040000

    /// Writes into `output` (see ``AtomicOutput``, which owns the file and its direct-I/O buffering).
    init(output: AtomicOutput) throws {
        guard let archive = archive_write_new() else {
            throw AmanaError(.internalFailure, "libarchive could not start a tar writer")
        }
        self.archive = archive
        self.label = output.finalPath
        self.output = output
        _ = TarWriter.utf8Locale
        guard archive_write_set_format_pax_restricted(archive) == ARCHIVE_OK,
              archive_write_set_bytes_per_block(archive, TarWriter.blockSize) == ARCHIVE_OK,
              archive_write_set_bytes_in_last_block(archive, 1) == ARCHIVE_OK,
              archive_write_open(archive, Unmanaged.passUnretained(self).toOpaque(), nil, { _, context, bytes, count in
                  TarWriter.writeBlock(context, bytes, count)
              }, nil) == ARCHIVE_OK
        else {
            // Every stored property is set, so deinit runs (and frees the archive) when this throws.
            throw failure("cannot start writing \(label)")
        }
    }

    /// libarchive's write callback: hands each finished block to the output. A failure is kept, with its errno
    /// text, so the error the caller sees says why (for example "no space left on device"), not only "write error".
    private static func writeBlock(_ context: UnsafeMutableRawPointer?, _ bytes: UnsafeRawPointer?, _ count: Int) -> la_ssize_t {
        let writer = Unmanaged<TarWriter>.fromOpaque(context!).takeUnretainedValue()
        do {
            try writer.output.write(UnsafeRawBufferPointer(start: bytes, count: count))
            return la_ssize_t(count)
        } catch {
            writer.writeError = error
            return -1
        }
    }

    /// The error behind a libarchive failure: the output's own, if a write failed, else libarchive's text.
    private func failure(_ context: String) -> Error {
        if let writeError { return writeError }
        return AmanaError(.outputFailed, "\(context): \(TarWriter.errorText(archive))")
    }

    deinit {
        if !finished { archive_write_fail(archive) }
        archive_write_free(archive)
    }

    func addDirectory(_ path: String, modified: Int64) throws {
        try writeHeader(path: path.hasSuffix("/") ? path : path + "/", type: TarWriter.directory, permissions: 0o755,
                        size: 0, modified: modified)
    }

    /// Starts a regular file of exactly `size` bytes; follow with `writeData` calls that add up to `size`.
    func beginFile(_ path: String, size: UInt64, modified: Int64) throws {
        try writeHeader(path: path, type: TarWriter.regularFile, permissions: 0o644, size: size, modified: modified)
    }

    func writeData(_ buffer: UnsafeRawBufferPointer) throws {
        guard buffer.count > 0 else { return }
        let written = archive_write_data(archive, buffer.baseAddress, buffer.count)
        guard written == buffer.count else {
            throw failure("cannot write \(label)")
        }
    }

    /// A whole small file (a tag file or a seal) in one call.
    func addFile(_ path: String, contents: [UInt8], modified: Int64) throws {
        try beginFile(path, size: UInt64(contents.count), modified: modified)
        try contents.withUnsafeBytes { try writeData($0) }
    }

    /// Writes the end-of-archive marker and flushes. The caller then fsyncs and renames the file.
    func finish() throws {
        guard archive_write_close(archive) == ARCHIVE_OK else {
            throw failure("cannot finish \(label)")
        }
        finished = true
    }

    private func writeHeader(path: String, type: UInt32, permissions: UInt32, size: UInt64, modified: Int64) throws {
        guard let entry = archive_entry_new() else {
            throw AmanaError(.internalFailure, "libarchive could not allocate an entry")
        }
        defer { archive_entry_free(entry) }
        archive_entry_update_pathname_utf8(entry, path)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, permissions)
        archive_entry_set_size(entry, la_int64_t(size))
        archive_entry_set_mtime(entry, time_t(modified), 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        let status = archive_write_header(archive, entry)
        guard status == ARCHIVE_OK else {
            throw failure("cannot write the tar entry for \(path)")
        }
    }

    /// libarchive converts names through the C library's multibyte functions, and in the plain C locale it cannot
    /// represent a non-ASCII name at all (3.6.2 then crashes on a null name). Amana's names are UTF-8 by definition,
    /// so the process's character type is switched to C.UTF-8 once, before any archive is opened. Only LC_CTYPE
    /// changes: messages, dates and number formats are untouched. A `static let` runs its initialiser once,
    /// thread-safely, on first use, so reading it is the "once".
    static let utf8Locale: Void = {
        let current = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
        if !current.uppercased().contains("UTF-8") && !current.uppercased().contains("UTF8") {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
    }()

    static func errorText(_ archive: OpaquePointer) -> String {
        guard let text = archive_error_string(archive) else { return "unknown libarchive error" }
        return String(cString: text).lowercased()
    }
}
