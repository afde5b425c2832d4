#if canImport(Glibc)
import Glibc
#endif

/// An output file that appears under its final name only when it is complete.
///
/// Bytes go to a hidden temporary file beside the target (same file system, so the final rename is atomic), which is
/// fsynced and then renamed without replacing anything. If the process dies first, only a `.amana-partial-*` file is
/// left: it never carries the bundle's name, so it cannot be mistaken for a finished bundle. Later runs
/// ignore it; nothing deletes it automatically (it may be all that is left of a long write someone wants to inspect).
/// An existing target is never overwritten.
///
/// Bytes are written in aligned blocks with direct I/O where the file system allows it (see ``DirectFileWriter``):
/// the bundle is on the device by the time it is fsynced, and writing it costs little CPU.
package final class AtomicOutput {
    package let finalPath: String
    package let temporaryPath: String
    let fd: Int32
    private let writer: DirectFileWriter
    /// For `--in-place`: the finished file atomically replaces the existing one.
    package let replacing: Bool
    private var committed = false

    /// Prefix of temporary files, so leftovers are recognisable.
    package static let partialPrefix = ".amana-partial-"

    package init(path: String, replacing: Bool = false) throws {
        guard !path.isEmpty else { throw AmanaError(.usage, "the output path is empty") }
        self.replacing = replacing
        if !replacing && POSIX.exists(path) {
            throw AmanaError(.outputExists, "\(path) already exists; amana never overwrites",
                             hint: "choose a new output name, or move the old file away first")
        }
        let dir = POSIX.parentDirectory(of: path)
        var template = Array("\(dir)/\(AtomicOutput.partialPrefix)\(POSIX.lastComponent(of: path)).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw AmanaError(.outputFailed, "cannot create a file in \(dir): \(POSIX.errorText())")
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
        self.finalPath = path
        self.temporaryPath = String(cString: template)
        self.writer = DirectFileWriter(fd: fd, label: path)
    }

    deinit {
        if !committed { abandon() }
    }

    /// Appends all of `buffer` to the file.
    package func write(_ buffer: UnsafeRawBufferPointer) throws {
        try writer.write(buffer)
    }

    /// Writes what is still buffered, fsyncs the data, renames the file into place without replacing anything, and
    /// fsyncs the folder.
    package func commit(mode: mode_t = 0o644) throws {
        try writer.flush()
        guard fchmod(fd, mode) == 0, fsync(fd) == 0 else {
            throw AmanaError(.outputFailed, "cannot flush \(finalPath) to disk: \(POSIX.errorText())")
        }
        close(fd)
        let renamed = replacing ? rename(temporaryPath, finalPath) : POSIX.renameNoReplace(temporaryPath, finalPath)
        if renamed != 0 {
            let code = errno
            unlink(temporaryPath)
            committed = true
            if code == EEXIST {
                throw AmanaError(.outputExists, "\(finalPath) appeared while amana was writing it; nothing was replaced")
            }
            throw AmanaError(.outputFailed, "cannot move the finished file to \(finalPath): \(POSIX.errorText(code))")
        }
        committed = true
        POSIX.fsyncDirectory(containing: finalPath)
    }

    /// Removes the temporary file. Safe to call more than once.
    package func abandon() {
        guard !committed else { return }
        committed = true
        close(fd)
        unlink(temporaryPath)
    }
}

extension AtomicOutput {
    /// Writes a whole small file atomically (keys, receipts). Never overwrites.
    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let output = try AtomicOutput(path: path)
        do {
            try bytes.withUnsafeBytes { try output.write($0) }
            try output.commit(mode: mode)
        } catch {
            output.abandon()
            throw error
        }
    }
}
