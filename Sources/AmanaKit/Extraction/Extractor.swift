import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Extracts a bundle to a folder, but only what was verified, and only inside that folder.
///
/// It verifies first and extracts nothing unless the verdict is TOTAL-PASSED (or `force` is set). The second pass
/// writes into a fresh private staging folder beside the target, applies the same entry rules as verification (so a
/// hostile entry is never written, even with `force`), and checks every file's SHA-256 against what verification
/// read, so a bundle swapped between the two passes is caught. Only then is the staging folder renamed into place,
/// without replacing anything. On any error the staging folder is removed.
package enum Extractor {
    package struct Outcome: Sendable {
        package let report: VerificationReport
        /// False when nothing was extracted because the verdict was not TOTAL-PASSED and `force` was not set.
        package let extracted: Bool
        /// Every file written, tag files included.
        package let fileCount: Int
        /// How many of them are payload (`data/`) files.
        package let payloadCount: Int
        /// Entries left out (only possible with `force`): unsafe names, links, devices, files that failed to verify.
        package let skipped: [String]
    }

    package static func extract(_ bundle: String, to output: String, options: VerifyOptions, force: Bool) throws -> Outcome {
        if POSIX.exists(output) {
            throw AmanaError(.outputExists, "\(output) already exists; amana never extracts over existing files",
                             hint: "choose a folder name that does not exist yet")
        }
        guard let info = POSIX.lstat(bundle) else {
            throw AmanaError(.inputUnreadable, "cannot read \(bundle): \(POSIX.errorText())")
        }
        guard !POSIX.isDirectory(info) else {
            throw AmanaError(.usage, "\(bundle) is a folder; extract takes a bundle tar", hint: "verify a folder with 'amana verify'")
        }
        // One open file for both passes: the bundle cannot be swapped for another by renaming in between.
        let file = try BundleFile(path: bundle)
        let (report, inventory) = try Verifier.verifyKeepingInventory(file: file, options: options)
        guard report.verdict == .totalPassed || force else {
            return Outcome(report: report, extracted: false, fileCount: 0, payloadCount: 0, skipped: [])
        }
        let failedPaths = Set(report.findings.filter { $0.status == .failed }.compactMap(\.subject))
        let staging = try makeStaging(for: output)
        do {
            let (count, payload, skipped) = try write(file, into: staging, inventory: inventory, failedPaths: failedPaths)
            chmod(staging, 0o755)  // mkdtemp made it private while it was being filled
            if POSIX.renameNoReplace(staging, output) != 0 {
                let code = errno
                throw AmanaError(code == EEXIST ? .outputExists : .outputFailed,
                                 "cannot move the extracted bundle to \(output): \(POSIX.errorText(code))")
            }
            POSIX.fsyncDirectory(containing: output)
            return Outcome(report: report, extracted: true, fileCount: count, payloadCount: payload, skipped: skipped)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    private static func makeStaging(for output: String) throws -> String {
        var trimmed = output
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let parent = POSIX.parentDirectory(of: trimmed)
        var template = Array("\(parent)/\(AtomicOutput.partialPrefix)\(POSIX.lastComponent(of: trimmed)).XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw AmanaError(.outputFailed, "cannot create a folder in \(parent): \(POSIX.errorText())")
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    private static func write(_ file: BundleFile, into staging: String, inventory: BagInventory,
                              failedPaths: Set<String>) throws -> (Int, Int, [String]) {
        let bundle = file.path
        let changed = AmanaError(.inputInvalid, "\(bundle) changed between verification and extraction; nothing was extracted",
                                 hint: "make sure nothing writes to the bundle, then extract again")
        let reader: TarReader
        do { reader = try TarReader(file: file) } catch { throw changed }
        // This thread reads the tar; hashing runs beside it and each file is written, timestamped and fsynced on the
        // pipeline's side lane, in order (``FileSequencePipeline``). Digests are compared once all is written, before
        // the staging folder is renamed into place.
        let pipeline = FileSequencePipeline()
        defer { pipeline.drain() }
        var written = Set<[UInt8]>()
        var canonical = Set<String>()
        var skipped = [String]()
        var count = 0
        var payload = 0
        var extracted = Set<String>()
        var checks = [(path: String, expected: BagInventory.File, digest: FileSequencePipeline.Pending)]()
        let verifiedFailed = inventory.findings.contains { $0.status == .failed }
        while true {
            let entry: TarReader.Entry?
            do { entry = try reader.next() } catch {
                // A damaged archive was already reported by verification (and only --force gets this far with one);
                // an error verification did not see means the file changed.
                if verifiedFailed { break }
                throw changed
            }
            guard let entry else { break }
            // The same rules as verification, applied again: this pass must never trust the first one's input.
            guard case .success(let accepted) = EntryPolicy.check(entry.path, isDirectory: entry.kind == .directory),
                  accepted.root == inventory.rootName,
                  entry.kind == .regular || entry.kind == .directory
            else {
                skipped.append(entry.displayPath)
                continue
            }
            let name = accepted.bagPath
            if name.isEmpty { continue }
            guard written.insert(Array(name.utf8)).inserted, canonical.insert(name).inserted else {
                skipped.append(entry.displayPath)
                continue
            }
            if entry.kind == .directory {
                try makeDirectories(staging, name)
                continue
            }
            guard let expected = inventory.files[name], !failedPaths.contains(name) else {
                skipped.append(name)
                continue
            }
            try makeDirectories(staging, name.pathComponents().dropLast().joined(separator: "/"))
            let output = ExtractedFile(path: staging + "/" + name, modified: entry.modified, size: expected.size)
            try pipeline.onSideLane { try output.open() }
            let digest = try pipeline.add(algorithms: [.sha256], read: { slot in
                let n: Int
                do { n = try reader.readDataFully(into: slot) } catch { throw changed }
                ByteProgress.add(n)
                return n
            }, side: { chunk in try output.write(chunk) })
            try pipeline.onSideLane { try output.finish() }
            checks.append((output.path, expected, digest))
            count += 1
            extracted.insert(name)
            if BagInventory.isPayload(name) { payload += 1 }
        }
        try pipeline.finish()
        // Everything written must be on disk before the staging folder is renamed into place.
        switch POSIX.syncFileSystem(containing: staging) {
        case true?: break
        case false?: throw AmanaError(.outputFailed, "cannot flush the extracted files in \(staging) to disk: \(POSIX.errorText())")
        case nil: try fsyncTree(staging, files: checks.map(\.path))
        }
        for check in checks {
            guard check.digest.byteCount == check.expected.size,
                  check.digest.digests?[.sha256] == check.expected.digests[.sha256]
            else { throw changed }
        }
        // Every verified file must have been written (bar those --force leaves out): none may go missing in between.
        let expected = Set(inventory.files.keys).subtracting(failedPaths)
        guard expected.isSubset(of: extracted) || verifiedFailed else { throw changed }
        return (count, payload, skipped)
    }

    /// One file being extracted; used only on the pipeline's side lane, in order: open, write..., finish.
    private final class ExtractedFile: @unchecked Sendable {
        let path: String
        let modified: Int64
        let size: UInt64
        private var fd: Int32 = -1
        private var writer: DirectFileWriter?

        init(path: String, modified: Int64, size: UInt64) {
            self.path = path
            self.modified = modified
            self.size = size
        }

        deinit { if fd >= 0 { close(fd) } }

        func open() throws {
            fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw AmanaError(.outputFailed, "cannot create \(path): \(POSIX.errorText())") }
            // Direct I/O only pays for itself on large files (see ``DirectFileWriter``).
            writer = DirectFileWriter(fd: fd, label: path, direct: size >= UInt64(DirectFileWriter.blockSize))
        }

        func write(_ chunk: UnsafeRawBufferPointer) throws {
            try writer?.write(chunk)
        }

        /// Writes what is buffered, sets the stored modification time and closes. Flushing to disk is done for all
        /// files at once, before the staging folder is renamed.
        func finish() throws {
            guard let writer else { return }
            try writer.flush()
            var times = [timespec(tv_sec: time_t(modified), tv_nsec: 0), timespec(tv_sec: time_t(modified), tv_nsec: 0)]
            _ = futimens(fd, &times)
            guard close(fd) == 0 else { throw AmanaError(.outputFailed, "cannot write \(path): \(POSIX.errorText())") }
            fd = -1
            self.writer = nil
        }
    }

    /// Where there is no `syncfs`: fsyncs every extracted file, then every folder below `root`.
    private static func fsyncTree(_ root: String, files: [String]) throws {
        for path in files {
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0, fsync(fd) == 0 else {
                if fd >= 0 { close(fd) }
                throw AmanaError(.outputFailed, "cannot flush \(path) to disk: \(POSIX.errorText())")
            }
            close(fd)
        }
        let folders = Set(files.map(POSIX.parentDirectory(of:))).union([root])
        for folder in folders {
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 {
                _ = fsync(fd)
                close(fd)
            }
        }
    }

    /// `mkdir -p` below `base` for an already validated relative path (no `..`, no empty parts, no links created).
    private static func makeDirectories(_ base: String, _ relative: String) throws {
        var path = base
        for component in relative.pathComponents() where !component.isEmpty {
            path += "/" + component
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw AmanaError(.outputFailed, "cannot create folder \(path): \(POSIX.errorText())")
            }
            guard let info = POSIX.lstat(path), POSIX.isDirectory(info) else {
                throw AmanaError(.outputFailed, "\(path) is not a folder")
            }
        }
    }
}
