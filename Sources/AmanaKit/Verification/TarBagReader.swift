/// Builds a ``BagInventory`` from a tar bundle in one streaming pass, extracting nothing.
///
/// Every entry is checked against ``EntryPolicy`` and the bundle rules (one root folder, regular files and folders
/// only, no duplicate names, no names that collide after Unicode normalisation). A refused entry becomes a finding
/// and its data is skipped; reading carries on, so a report lists everything wrong, not the first thing.
package enum TarBagReader {
    /// Reads `path`, hashing payload files with `payloadAlgorithms`. Throws only when the file cannot be opened.
    package static func read(_ path: String, payloadAlgorithms: [DigestAlgorithm]) throws -> BagInventory {
        try read(BundleFile(path: path), payloadAlgorithms: payloadAlgorithms)
    }

    /// Reads an already open bundle from its start (extraction reads the same open file again afterwards).
    static func read(_ file: BundleFile, payloadAlgorithms: [DigestAlgorithm]) throws -> BagInventory {
        let path = file.path
        var inventory = BagInventory()
        inventory.payloadAlgorithms = Set(payloadAlgorithms)
        if file.size == 0 {
            inventory.findings.append(.failed(ArchiveCode.empty, subject: path, "the bundle is an empty file"))
            return inventory
        }
        let reader: TarReader
        do {
            reader = try TarReader(file: file)
        } catch let failure as TarReader.ReadFailure where failure.code == .unreadable {
            // An I/O error while the container is identified is a read error, not a verdict on the format.
            inventory.findings.append(.failed(ArchiveCode.unreadable, subject: path, failure.message))
            return inventory
        } catch let failure as TarReader.ReadFailure {
            inventory.findings.append(.failed(ArchiveCode.formatInvalid, subject: path,
                                              "the bundle is not a readable tar archive (\(failure.message))"))
            return inventory
        }
        var state = ScanState()
        // Files are hashed on other threads, several at once, while this one reads on (``FileSequencePipeline``).
        let pipeline = FileSequencePipeline()
        defer { pipeline.drain() }
        var pending = [(name: String, digests: FileSequencePipeline.Pending, contents: [UInt8]?)]()

        while true {
            let entry: TarReader.Entry?
            do {
                entry = try reader.next()
            } catch let failure as TarReader.ReadFailure {
                // Before any entry, a broken header means "not a tar at all"; later, the reader's own code says why.
                let notTar = state.entryCount == 0 && (failure.code == .truncated || failure.code == .headerInvalid)
                inventory.findings.append(.failed(notTar ? ArchiveCode.formatInvalid : failure.code, subject: path,
                                                  notTar ? "the bundle is not a readable tar archive (\(failure.message))" : failure.message))
                break
            }
            guard let entry else { break }
            state.entryCount += 1
            if let limit = limitExceeded(state.entryCount) {
                inventory.findings.append(.failed(limit.code, subject: path, limit.message))
                break
            }
            do {
                if let file = try scan(entry, reader: reader, pipeline: pipeline, state: &state, inventory: &inventory) {
                    pending.append(file)
                }
            } catch let failure as TarReader.ReadFailure {
                inventory.findings.append(.failed(
                    failure.code, subject: entry.displayPath,
                    failure.code == .truncated ? "the archive ends inside this entry's data (\(failure.message))" : failure.message))
                break
            }
        }
        if state.entryCount == 0 && !inventory.findings.contains(where: { $0.status == .failed }) {
            inventory.findings.append(.failed(ArchiveCode.empty, subject: path, "the archive holds no entries"))
        }
        try pipeline.finish()
        for file in pending {
            guard let digests = file.digests.digests else { continue }  // its data could not be read to the end
            inventory.files[file.name] = BagInventory.File(size: file.digests.byteCount, digests: digests, contents: file.contents)
        }
        inventory.rootName = state.root
        for keyword in reader.unknownKeywords.sorted() {
            inventory.findings.append(.warning(ArchiveCode.headerPaxKeyword, subject: path,
                                               "the archive uses the pax keyword '\(keyword)', which Amana does not interpret"))
        }
        if !inventory.findings.contains(where: { $0.status == .failed }) {
            inventory.findings.append(.passed(
                ArchiveCode.structure, subject: path,
                "\(state.entryCount) entries under one root folder, regular files and folders only, no unsafe or duplicate names"))
        }
        return inventory
    }

    /// More entries than this is refused: ten times the largest real bundle planned for (100,000 files).
    /// A variable only so that a unit test can lower it (ResourceLimitTests): a million real
    /// entries take minutes to read in a debug build.
    nonisolated(unsafe) static var maximumEntries = 1_000_000
    private static func limitExceeded(_ entries: Int) -> (code: ArchiveCode, message: String)? {
        if entries > maximumEntries {
            return (ArchiveCode.limitEntries, "the archive has more than \(maximumEntries) entries; reading stopped there")
        }
        return nil
    }

    private struct ScanState {
        var entryCount = 0
        var root: String?
        var extraRoots = Set<String>()
        /// Names compared byte for byte, to catch exact duplicates.
        var exactNames = Set<[UInt8]>()
        /// Names compared as Swift compares strings (canonical equivalence), to catch NFC/NFD collisions.
        var canonicalNames = Set<String>()
        var caseFoldedNames = [String: String]()
    }

    /// Checks one entry. For a regular file it returns the file's name, its pending digests and (for a tag file
    /// rules parse) its bytes; nil for anything else.
    private static func scan(
        _ entry: TarReader.Entry, reader: TarReader, pipeline: FileSequencePipeline,
        state: inout ScanState, inventory: inout BagInventory
    ) throws -> (name: String, digests: FileSequencePipeline.Pending, contents: [UInt8]?)? {
        let isDirectory = entry.kind == .directory
        let accepted: EntryPolicy.Accepted
        switch EntryPolicy.check(entry.path, isDirectory: isDirectory) {
        case .failure(let rejection):
            let code = rejection == .notUTF8 ? ArchiveCode.entryName : rejection == .tooLong ? ArchiveCode.limitPath : ArchiveCode.entryPath
            inventory.findings.append(.failed(code, subject: entry.displayPath, "unsafe entry name: \(rejection.reason)"))
            try reader.skipData()
            return nil
        case .success(let value):
            accepted = value
        }

        if let root = state.root, root != accepted.root {
            if state.extraRoots.insert(accepted.root).inserted {
                inventory.findings.append(.failed(
                    ArchiveCode.rootMultiple, subject: entry.displayPath, expected: root, found: accepted.root,
                    "the archive has more than one top-level entry"))
            }
            try reader.skipData()
            return nil
        }
        state.root = accepted.root

        let refusedKind: String?
        switch entry.kind {
        case .regular, .directory: refusedKind = nil
        case .symbolicLink(let target): refusedKind = "symbolic link to \(target)"
        case .hardLink(let target): refusedKind = "hard link to \(target)"
        case .other(let kind): refusedKind = kind
        }
        if let refusedKind {
            inventory.findings.append(.failed(
                ArchiveCode.entryType, subject: entry.displayPath, found: refusedKind,
                "bundles hold regular files and folders only"))
            try reader.skipData()
            return nil
        }

        if accepted.bagPath.isEmpty {
            if !isDirectory {
                inventory.findings.append(.failed(
                    ArchiveCode.rootFile, subject: entry.displayPath, "the top-level entry must be a folder"))
                try reader.skipData()
            }
            return nil
        }

        let name = accepted.bagPath
        if !state.exactNames.insert(Array(name.utf8)).inserted {
            inventory.findings.append(.failed(
                ArchiveCode.entryDuplicate, subject: name,
                "the name appears twice; extraction would silently keep only one of them"))
            try reader.skipData()
            return nil
        }
        if !state.canonicalNames.insert(name).inserted {
            inventory.findings.append(.failed(
                ArchiveCode.entryNFCCollision, subject: entry.displayPath,
                "the name differs from another entry only in Unicode normalisation (NFC/NFD)"))
            try reader.skipData()
            return nil
        }
        let folded = name.lowercased()
        if let other = state.caseFoldedNames[folded] {
            inventory.findings.append(.warning(
                ArchiveCode.entryCaseCollision, subject: name,
                "the name differs from \(other) only in letter case; they collide on case-insensitive file systems"))
        } else {
            state.caseFoldedNames[folded] = name
        }

        if isDirectory {
            inventory.directories.insert(name)
            return nil
        }
        let isPayload = BagInventory.isPayload(name)
        let algorithms = isPayload ? Array(inventory.payloadAlgorithms).sorted() : DigestAlgorithm.allCases
        let keepContents = !isPayload && entry.size <= Int64(BagInventory.keptLimit(name) ?? -1)
            && inventory.keptBytes + Int(entry.size) <= BagInventory.keptBytesLimit
        if keepContents { inventory.keptBytes += Int(entry.size) }
        var contents = [UInt8]()
        // Exactly the size the header gives (bounded above): growing by doubling held up to twice the bytes.
        if keepContents { contents.reserveCapacity(Int(entry.size)) }
        let digests = try pipeline.add(algorithms: algorithms, read: { slot in
            let n = try reader.readDataFully(into: slot)
            ByteProgress.add(n)
            if keepContents { contents.append(contentsOf: UnsafeRawBufferPointer(rebasing: slot[..<n])) }
            return n
        })
        return (name, digests, keepContents ? contents : nil)
    }
}
