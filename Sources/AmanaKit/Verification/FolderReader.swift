#if canImport(Glibc)
import Glibc
#endif

/// The container reader for a bag that is a folder (an extracted bundle, or a bag made by another tool).
///
/// It makes one pass over the tree and never changes it: files are opened read-only without following symlinks,
/// symlinks and special files are reported and not touched, and payload files are streamed in 1 MiB chunks so memory
/// stays flat however large they are. What it learns goes into a ``BagInventory`` for the rules to judge.
package enum FolderReader {
    /// The read size: one slot of the pipeline's ring.
    static let chunkSize = ChunkPipeline.slotSize

    /// Reads the bag in `folder`. Throws `AmanaError(.inputUnreadable)` when the folder (or a folder inside it)
    /// cannot be listed, and `.inputInvalid` when `folder` is not a folder; everything else is a finding.
    package static func read(_ folder: String) throws -> BagInventory {
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
        // Files are hashed on other threads, several at once, while this one reads on (``FileSequencePipeline``);
        // their digests are filled in once all are read. `filePaths` stands in for `inventory.files` until then.
        let pipeline = FileSequencePipeline()
        defer { pipeline.drain() }
        var pending = [(path: String, digests: FileSequencePipeline.Pending, contents: [UInt8]?)]()
        var filePaths = Set<String>()
        var badFolders = [String]()

        try DirectoryWalker.walk(folder) { entry in
            // Below a folder whose name was already reported, every entry would repeat that finding.
            if badFolders.contains(where: { entry.displayPath.utf8.starts(with: ($0 + "/").utf8) }) { return }
            guard let path = entry.relativePath else {
                inventory.findings.append(.failed(ArchiveCode.entryName, subject: entry.displayPath, "\(entry.displayPath) has a name that is not valid UTF-8; it was not read"))
                if POSIX.isDirectory(entry.info) { badFolders.append(entry.displayPath) }
                return
            }
            // The tar reader's name rules hold for a folder too (bundle.md section 3): a name another system would split
            // at a backslash, or one holding a control character, is refused and not read.
            let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
            if name.utf8.contains(UInt8(ascii: "\\")) || name.unicodeScalars.contains(where: MinisignText.isControlCharacter) {
                let why = name.utf8.contains(UInt8(ascii: "\\")) ? EntryPolicy.Rejection.backslash : .controlCharacter
                inventory.findings.append(.failed(ArchiveCode.entryPath, subject: entry.displayPath, "unsafe entry name: \(why.reason); it was not read"))
                if POSIX.isDirectory(entry.info) { badFolders.append(entry.displayPath) }
                return
            }
            if POSIX.isDirectory(entry.info) {
                if filePaths.contains(path) || !inventory.directories.insert(path).inserted {
                    inventory.findings.append(collision(path))
                }
                return
            }
            guard POSIX.isRegular(entry.info) else {
                inventory.findings.append(.failed(ArchiveCode.entryType, subject: path, "\(path) is a \(POSIX.kindName(entry.info)); it was not followed or read"))
                return
            }
            // A `String` key compares canonically equivalent names as equal: an NFC and an NFD spelling of the
            // same name are two files on Linux but one key here, so the second is a collision, not an overwrite.
            if filePaths.contains(path) || inventory.directories.contains(path) {
                inventory.findings.append(collision(path))
                return
            }
            let isPayload = ExactPath.isPayload(path)
            filePaths.insert(path)
            do {
                let (digests, contents) = try read(
                    folder + "/" + path, algorithms: isPayload ? payloadAlgorithms : DigestAlgorithm.allCases,
                    keepingUpTo: isPayload ? nil : BagInventory.keptLimit(path),
                    pipeline: pipeline)
                pending.append((path, digests, contents))
            } catch let error as FileChanged {
                inventory.findings.append(.failed(ArchiveCode.entryChanged, subject: path, expected: "\(error.expected) bytes", found: "\(error.found) bytes", "\(path) changed size while it was read"))
            } catch {
                inventory.findings.append(.failed(ArchiveCode.entryUnreadable, subject: path, (error as? AmanaError)?.reason ?? "\(path) could not be read"))
            }
        }
        try pipeline.finish()
        for file in pending {
            guard let digests = file.digests.digests else { continue }
            inventory.files[file.path] = BagInventory.File(size: file.digests.byteCount, digests: digests, contents: file.contents)
        }
        return inventory
    }

    private static func collision(_ path: String) -> Finding {
        .failed(ArchiveCode.entryDuplicate, subject: path, "\(path) has the same name as another entry after Unicode normalisation; it was not read")
    }

    /// Called with a file's path after its size is taken and before it is read; nil except in tests
    /// (BagItFolderReaderTests), which change the file there to prove that a change is caught.
    nonisolated(unsafe) static var fileMeasured: ((String) -> Void)?

    private struct FileChanged: Error {
        let expected: UInt64
        let found: UInt64
    }

    /// Reads one file into `pipeline` (which hashes it with `algorithms`), keeping its bytes when `limit` allows.
    private static func read(
        _ path: String, algorithms: [DigestAlgorithm], keepingUpTo limit: Int?, pipeline: FileSequencePipeline
    ) throws -> (FileSequencePipeline.Pending, [UInt8]?) {
        let file = try ReadOnlyFile(path: path)
        fileMeasured?(path)
        let keep = limit.map { file.size <= UInt64($0) } ?? false
        var contents = [UInt8]()
        if keep { contents.reserveCapacity(Int(file.size)) }
        var read: UInt64 = 0
        let digests = try pipeline.add(algorithms: algorithms, read: { slot in
            let count = try file.readFully(into: slot)
            read += UInt64(count)
            ByteProgress.add(count)
            // A file that grows while being read is not hashed beyond its size, nor held whole in memory.
            if read > file.size { throw FileChanged(expected: file.size, found: read) }
            if keep { contents.append(contentsOf: UnsafeRawBufferPointer(rebasing: slot[..<count])) }
            return count
        })
        guard digests.byteCount == file.size else {
            throw FileChanged(expected: file.size, found: digests.byteCount)
        }
        return (digests, keep ? contents : nil)
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
