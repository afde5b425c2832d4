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
public enum Extractor {
    public struct Outcome: Sendable {
        public let report: VerificationReport
        /// False when nothing was extracted because the verdict was not TOTAL-PASSED and `force` was not set.
        public let extracted: Bool
        /// Every file written, tag files included.
        public let fileCount: Int
        /// How many of them are payload (`data/`) files.
        public let payloadCount: Int
        /// Entries left out (only possible with `force`): unsafe names, links, devices, files that failed to verify.
        public let skipped: [String]
    }

    public static func extract(_ bundle: String, to output: String, options: VerifyOptions, force: Bool) throws -> Outcome {
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
        return String(cString: template)
    }

    private static func write(_ file: BundleFile, into staging: String, inventory: BagInventory,
                              failedPaths: Set<String>) throws -> (Int, Int, [String]) {
        let bundle = file.path
        let changed = AmanaError(.inputInvalid, "\(bundle) changed between verification and extraction; nothing was extracted",
                                 hint: "make sure nothing writes to the bundle, then extract again")
        let reader: TarReader
        do { reader = try TarReader(file: file) } catch { throw changed }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var written = Set<[UInt8]>()
        var canonical = Set<String>()
        var skipped = [String]()
        var count = 0
        var payload = 0
        var extracted = Set<String>()
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
            let target = staging + "/" + name
            if entry.kind == .directory {
                try makeDirectories(staging, name)
                continue
            }
            guard let expected = inventory.files[name], !failedPaths.contains(name) else {
                skipped.append(name)
                continue
            }
            try makeDirectories(staging, name.pathComponents().dropLast().joined(separator: "/"))
            let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw AmanaError(.outputFailed, "cannot create \(target): \(POSIX.errorText())")
            }
            defer { close(fd) }
            let digest = MultiDigest([.sha256])
            while true {
                let n: Int
                do { n = try reader.readDataFully(into: buffer) } catch { throw changed }
                if n == 0 { break }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<n])
                try digest.update(chunk) { try POSIX.writeAll(fd, chunk, path: target) }
            }
            guard digest.byteCount == expected.size, digest.finalize()[.sha256] == expected.digests[.sha256] else {
                throw changed
            }
            var times = [timespec(tv_sec: time_t(entry.modified), tv_nsec: 0), timespec(tv_sec: time_t(entry.modified), tv_nsec: 0)]
            _ = futimens(fd, &times)
            guard fsync(fd) == 0 else { throw AmanaError(.outputFailed, "cannot flush \(target): \(POSIX.errorText())") }
            count += 1
            extracted.insert(name)
            if BagInventory.isPayload(name) { payload += 1 }
        }
        // Every verified file must have been written (bar those --force leaves out): none may go missing in between.
        let expected = Set(inventory.files.keys).subtracting(failedPaths)
        guard expected.isSubset(of: extracted) || verifiedFailed else { throw changed }
        return (count, payload, skipped)
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
