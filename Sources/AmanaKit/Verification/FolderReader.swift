#if canImport(Glibc)
import Glibc
#endif

/// The container reader for a bag that is a folder (an extracted bundle, or a bag made by another tool).
///
/// It makes one pass over the tree and never changes it: files are opened read-only without following symlinks,
/// symlinks and special files are reported and not touched, and payload files are streamed in 4 MiB chunks so memory
/// stays flat however large they are. What it learns goes into a ``BagInventory`` for the rules to judge.
public enum FolderReader {
    /// Finding codes of this reader (the `archive` group, shared with the tar reader).
    public enum Code {
        /// failed: a symlink, device, FIFO or socket; it was not followed or read.
        public static let entryType = "archive.entry.type"
        /// failed: a name that is not valid UTF-8.
        public static let entryName = "archive.entry.name"
        /// failed: two names that are the same after Unicode normalisation, which many systems cannot hold apart.
        public static let entryDuplicate = "archive.entry.duplicate"
        /// failed: a file that could not be opened or read.
        public static let entryUnreadable = "archive.entry.unreadable"
        /// failed: a file whose size changed while it was read, so its digests describe no stable content.
        public static let entryChanged = "archive.entry.changed"
    }

    /// The read size: large enough for full-speed sequential reads, small enough to stay flat in memory.
    static let chunkSize = 4 * 1024 * 1024

    /// Reads the bag in `folder`. Throws `AmanaError(.inputUnreadable)` when the folder (or a folder inside it)
    /// cannot be listed, and `.inputInvalid` when `folder` is not a folder; everything else is a finding.
    public static func read(_ folder: String) throws -> BagInventory {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw AmanaError(.inputUnreadable, "cannot read \(folder): \(POSIX.errorText())")
        }
        guard POSIX.isDirectory(info) else {
            throw AmanaError(.inputInvalid, "\(folder) is a \(POSIX.kindName(info)), not a folder")
        }
        var inventory = BagInventory()
        inventory.payloadAlgorithms = try payloadAlgorithms(in: folder)
        let payloadAlgorithms = inventory.payloadAlgorithms.sorted()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var badFolders = [String]()

        try DirectoryWalker.walk(folder) { entry in
            // Below a folder whose name was already reported, every entry would repeat that finding.
            if badFolders.contains(where: { entry.displayPath.utf8.starts(with: ($0 + "/").utf8) }) { return }
            guard let path = entry.relativePath else {
                inventory.findings.append(.failed(Code.entryName, subject: entry.displayPath, "\(entry.displayPath) has a name that is not valid UTF-8; it was not read"))
                if POSIX.isDirectory(entry.info) { badFolders.append(entry.displayPath) }
                return
            }
            if POSIX.isDirectory(entry.info) {
                if inventory.files[path] != nil || !inventory.directories.insert(path).inserted {
                    inventory.findings.append(collision(path))
                }
                return
            }
            guard POSIX.isRegular(entry.info) else {
                inventory.findings.append(.failed(Code.entryType, subject: path, "\(path) is a \(POSIX.kindName(entry.info)); it was not followed or read"))
                return
            }
            // A `String` key compares canonically equivalent names as equal: an NFC and an NFD spelling of the
            // same name are two files on Linux but one key here, so the second is a collision, not an overwrite.
            if inventory.files[path] != nil || inventory.directories.contains(path) {
                inventory.findings.append(collision(path))
                return
            }
            let isPayload = ExactPath.isPayload(path)
            do {
                inventory.files[path] = try read(
                    folder + "/" + path, algorithms: isPayload ? payloadAlgorithms : DigestAlgorithm.allCases,
                    keepingUpTo: isPayload || !BagInventory.isParsedTagFile(path) ? nil : BagInventory.tagFileLimit, buffer: buffer)
            } catch let error as FileChanged {
                inventory.findings.append(.failed(Code.entryChanged, subject: path, expected: "\(error.expected) bytes", found: "\(error.found) bytes", "\(path) changed size while it was read"))
            } catch {
                inventory.findings.append(.failed(Code.entryUnreadable, subject: path, (error as? AmanaError)?.reason ?? "\(path) could not be read"))
            }
        }
        return inventory
    }

    private static func collision(_ path: String) -> Finding {
        .failed(Code.entryDuplicate, subject: path, "\(path) has the same name as another entry after Unicode normalisation; it was not read")
    }

    private struct FileChanged: Error {
        let expected: UInt64
        let found: UInt64
    }

    /// Hashes one file with `algorithms` in a single streaming pass, and keeps its bytes when `limit` allows.
    private static func read(
        _ path: String, algorithms: [DigestAlgorithm], keepingUpTo limit: Int?, buffer: UnsafeMutableRawBufferPointer
    ) throws -> BagInventory.File {
        let file = try ReadOnlyFile(path: path)
        let multi = MultiDigest(algorithms)
        let keep = limit.map { file.size <= UInt64($0) } ?? false
        var contents = [UInt8]()
        if keep { contents.reserveCapacity(Int(file.size)) }
        // This thread reads ahead while each digest works on earlier chunks on its own lane.
        try multi.consume(reading: { slot in
            let count = try file.readFully(into: slot)
            if keep {
                // A file that grows past the limit while being read is still not held whole in memory.
                if contents.count + count > limit! {
                    throw FileChanged(expected: file.size, found: UInt64(contents.count + count))
                }
                contents.append(contentsOf: UnsafeRawBufferPointer(rebasing: slot[..<count]))
            }
            return count
        })
        guard multi.byteCount == file.size else {
            throw FileChanged(expected: file.size, found: multi.byteCount)
        }
        return BagInventory.File(size: multi.byteCount, digests: multi.finalize(), contents: keep ? contents : nil)
    }

    /// The supported algorithms of the `manifest-<algorithm>.txt` regular files at the root of `folder`.
    private static func payloadAlgorithms(in folder: String) throws -> Set<DigestAlgorithm> {
        guard let dir = opendir(folder) else {
            throw AmanaError(.inputUnreadable, "cannot list folder \(folder): \(POSIX.errorText())")
        }
        defer { closedir(dir) }
        var algorithms = Set<DigestAlgorithm>()
        while let entry = readdir(dir) {
            let bytes = POSIX.entryName(entry)
            guard let name = String(validating: bytes, as: UTF8.self),
                let (kind, algorithmName) = Manifest.identify(fileName: name), kind == .payload,
                let algorithm = DigestAlgorithm(rawValue: algorithmName),
                let info = POSIX.lstat(folder + "/" + name), POSIX.isRegular(info)
            else { continue }
            algorithms.insert(algorithm)
        }
        return algorithms
    }
}
