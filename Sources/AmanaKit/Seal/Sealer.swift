import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Seals files into a new bundle: a BagIt bag in a pax tar, with a first signed seal.
///
/// Each source file is read once. Every chunk feeds all digests and the tar writer at the same time (see
/// ``MultiDigest``), so memory stays at a fixed ring of buffers whatever the file size. The output is written to a temporary
/// file and renamed into place only when complete and fsynced; on any error the temporary file is removed and the
/// sources are untouched (they were only ever opened read-only).
public enum Sealer {

    public static func seal(_ options: SealOptions, key: SecretKey) throws -> SealResult {
        try options.validate()
        let plan = try SealPlan(inputs: options.inputs)
        return try seal(plan, options: options, key: key, adoption: nil)
    }

    /// Seals an existing BagIt bag as it is (``BagAdoption``, spec/bundle.md section 8.2): the bag is checked first and
    /// refused unless valid; its payload, `bagit.txt`, payload manifests and other tag files are stored byte for byte,
    /// and Amana's profile (items.json, the custody log, tag manifests over them) and a first seal are added. The bag
    /// itself is only read.
    public static func adopt(bag folder: String, options: SealOptions, key: SecretKey) throws -> SealResult {
        try options.validate()
        let adoption = try BagAdoption(folder: folder)
        let payload = Set(adoption.inventory.files.keys.filter(BagInventory.isPayload))
        let plan = try SealPlan(adoptingPayloadOf: folder, expected: payload)
        return try seal(plan, options: options, key: key, adoption: adoption)
    }

    /// Seals stored objects of an evidence store (`amana seal --store`, spec/store.md section 8): the payload is the
    /// export's objects under its names, and the custody log begins with the store's own acquisition events, byte for
    /// byte, proven by `amana/store-proofs.json` (custody-log.md section 9). The store's ledger then records the seal.
    package static func seal(export: StoreExport, options: SealOptions, key: SecretKey) throws -> SealResult {
        var options = options
        options.caseID = export.caseID
        try options.validate()
        let plan = try SealPlan(storeFiles: export.files)
        let result = try seal(plan, options: options, key: key, adoption: nil, export: export)
        try export.recordSealed(bundleID: result.bundleID, key: key, role: options.role, time: options.time)
        return result
    }

    private static func seal(_ plan: SealPlan, options: SealOptions, key: SecretKey, adoption: BagAdoption?,
                             export: StoreExport? = nil) throws -> SealResult {
        if let keyFile = options.keyFile, let keyInfo = POSIX.lstat(keyFile),
           let leak = plan.files.first(where: { $0.device == UInt64(keyInfo.st_dev) && $0.inode == UInt64(keyInfo.st_ino) }) {
            throw AmanaError(.inputInvalid, "\(leak.displaySource) is the secret key this seal is signed with; it would travel inside the bundle",
                             hint: "keep the key outside the folders you seal")
        }
        let output = try AtomicOutput(path: options.output)
        do {
            let result = try write(plan, options: options, key: key, output: output, adoption: adoption, export: export)
            try output.commit()
            return result
        } catch {
            output.abandon()
            throw error
        }
    }

    private static func write(_ plan: SealPlan, options: SealOptions, key: SecretKey, output: AtomicOutput,
                              adoption: BagAdoption?, export: StoreExport?) throws -> SealResult {
        let tar = try TarWriter(output: output)
        let root = options.bundleID
        let now = Int64(options.time.timeIntervalSince1970)
        // Tag files are hashed as they are written and only their digests kept: for 20,000 photos the manifests,
        // items.json and the custody log are about 30 MB, which need not stay in memory until the tag manifests.
        var tagDigests = [(path: String, digests: [DigestAlgorithm: Digest])]()
        func addTag(_ path: String, _ bytes: [UInt8]) throws {
            try tar.addFile("\(root)/\(path)", contents: bytes, modified: now)
            tagDigests.append((path, MultiDigest.digests(of: bytes, options.algorithms)))
        }

        var tagFolders = Set<String>()
        func ensureTagParents(_ path: String) throws {
            let parts = path.pathComponents().dropLast()
            for count in stride(from: 1, through: parts.count, by: 1) {
                let dir = parts.prefix(count).joined(separator: "/")
                if tagFolders.insert(dir).inserted { try tar.addDirectory("\(root)/\(dir)", modified: now) }
            }
        }

        try tar.addDirectory(root, modified: now)
        if let adoption {
            try addTag(BagItNames.declaration, adoption.declaration)
            let info = adoption.sealedBagInfo(options, payloadBytes: plan.payloadBytes, fileCount: plan.files.count)
            try addTag(BagItNames.bagInfo, try info.serialized())
            for file in adoption.otherTagFiles {
                try ensureTagParents(file.path)
                try addTag(file.path, file.bytes)
            }
        } else {
            try addTag(BagItNames.declaration, BagDeclaration().serialized())
            try addTag(BagItNames.bagInfo, try bagInfo(plan, options: options, key: key).serialized())
        }

        // Payload. This thread reads the files one after another; hashing and the tar writer run on other threads
        // (``FileSequencePipeline``), so several small files are in flight at once. Every tar write goes through the
        // pipeline's side lane, in order, until it finishes.
        let pipeline = FileSequencePipeline()
        defer { pipeline.drain() }
        try pipeline.onSideLane { try tar.addDirectory("\(root)/\(BagItNames.payloadDirectory)", modified: now) }
        var written = Set<String>()
        func ensureParents(_ bagPath: String) throws {
            var parts = Array(bagPath.pathComponents().dropLast())
            var ancestors = [String]()
            while parts.count > 1 {
                ancestors.append(parts.joined(separator: "/"))
                parts.removeLast()
            }
            for dir in ancestors.reversed() where written.insert(dir).inserted {
                try pipeline.onSideLane { try tar.addDirectory("\(root)/\(dir)", modified: now) }
            }
        }
        // An adopted bag's payload is also hashed with its own manifests' algorithms, and must give the digests the
        // bag check computed: what is stored is exactly what was checked.
        let checked = adoption?.inventory.payloadAlgorithms ?? []
        let hashed = Array(Set(options.algorithms).union(checked)).sorted()
        var copied = [(pending: FileSequencePipeline.Pending, prefix: [UInt8])]()
        // Derived metadata records (spec/metadata.md section 3.1), read while each item's digests are computed. An
        // adopted bag gets only Amana's profile (bundle.md section 8.2), so no records.
        let metadata = options.metadata && adoption == nil
            ? try MetadataRecordsFile.Writer(acquired: options.time, count: plan.files.count, beside: options.output) : nil
        for (index, file) in plan.files.enumerated() {
            try ensureParents(file.bagPath)
            copied.append(try copy(file, into: tar, root: root, algorithms: hashed, pipeline: pipeline,
                                   metadata: metadata.map { (index, $0) }))
        }
        try pipeline.finish()
        // An adopted bag keeps its own payload manifests; Amana adds only those of its algorithms the bag lacks.
        var manifests = options.algorithms.filter { adoption?.payloadManifests[$0] == nil }.map { Manifest(kind: .payload, algorithm: $0) }
        var items = [ItemsFile.Item]()
        // A stored item is described by its first acquisition in the case: the source file's time and the facts
        // recorded then, not the object's own file times in the store.
        var recorded = [String: AcquisitionRecord]()
        for file in export?.files ?? [] { recorded[file.bagPath] = file.record }
        for (file, result) in zip(plan.files, copied) {
            guard let all = result.pending.digests else {
                throw AmanaError(.internalFailure, "the digests of \(file.displaySource) were not computed")
            }
            if let adoption, checked.contains(where: { all[$0] != adoption.inventory.files[file.bagPath]?.digests[$0] }) {
                throw AmanaError(.sourceChanged, "\(file.displaySource) changed while it was being adopted",
                                 hint: "adopt the bag again once nothing is writing to it")
            }
            let digests = all.filter { options.algorithms.contains($0.key) }
            for index in manifests.indices {
                try manifests[index].add(path: file.bagPath, digest: digests[manifests[index].algorithm]!)
            }
            items.append(ItemsFile.Item(
                path: file.bagPath, size: file.size,
                digests: Dictionary(uniqueKeysWithValues: digests.map { ($0.key.bagItName, $0.value.hex) }),
                mediaType: MediaType.detect(prefix: result.prefix, name: file.bagPath),
                modified: recorded[file.bagPath].map { String($0.source.mtime.prefix(19)) + "Z" }
                    ?? UTCTime.format(Date(timeIntervalSince1970: TimeInterval(file.modified))),
                originalName: file.originalName,
                acquisition: recorded[file.bagPath].map(Sealer.acquisition(of:))
                    ?? (options.acquisition.isEmpty ? nil : options.acquisition)))
        }
        // Empty folders are not written: BagIt cannot list them, so no manifest or seal would vouch for them.

        // Payload manifests, then Amana's own tag files, then tag manifests over all of them.
        // The seal commits to every payload manifest but MD5 and SHA-1 ones, which a seal never names (seal.md section
        // 5.1): an adopted bag's weak manifest is still checked against the payload, and the tag manifests list it.
        let version = adoption?.version ?? .v1_0
        var payloadManifests = manifests.map { (algorithm: $0.algorithm, bytes: $0.serialized(version: version)) }
        payloadManifests += (adoption?.payloadManifests ?? [:]).map { (algorithm: $0.key, bytes: $0.value) }
        var manifestDigests = [SealStatement.FileDigest]()
        for manifest in payloadManifests.sorted(by: { $0.algorithm < $1.algorithm }) {
            try addTag(BagItNames.manifest(manifest.algorithm), manifest.bytes)
            if !manifest.algorithm.isBroken {
                manifestDigests.append(.init(algorithm: manifest.algorithm, hex: SealWriter.digest(manifest.bytes, manifest.algorithm).hex))
            }
        }
        try tar.addDirectory("\(root)/\(BundleLayout.amanaFolder)", modified: now)
        tagFolders.insert(BundleLayout.amanaFolder)
        if let adoption, !adoption.originals.isEmpty {
            try ensureTagParents(adoption.originals[0].path)
            for original in adoption.originals { try addTag(original.path, original.bytes) }
        }
        let itemsFile = ItemsFile(bundleID: root, caseID: options.caseID, title: options.title, items: items)
        try addTag(BundleLayout.itemsFile, itemsFile.serialized())
        if let metadata {
            // Records beside the items, never inside them: a tag file the tag manifests and the seal cover. Copied
            // from the writer's spool a block at a time, so 20,000 records are never in memory at once.
            let size = try metadata.finish()
            // Hashed without ``MultiDigest``'s progress count: these are tag bytes, not payload.
            let hashers = options.algorithms.map(StreamingHasher.init)
            try tar.beginFile("\(root)/\(MetadataRecordsFile.path)", size: size, modified: now)
            try metadata.readBack { block in
                for hasher in hashers { hasher.update(block) }
                try tar.writeData(block)
            }
            tagDigests.append((MetadataRecordsFile.path,
                               Dictionary(uniqueKeysWithValues: hashers.map { ($0.algorithm, $0.finalize()) })))
        }

        if let export {
            try addTag(StoreProofs.path, export.proofs.bytes)
        }

        // The custody log starts here: one `acquired` event per item, then the `sealed` event for seal 1. From a
        // store, the store's acquisition events, byte for byte, take the place of the `acquired` events.
        var custody = CustodyRecorder(log: CustodyLog(lines: export?.lines ?? []), bundleID: root, key: key, role: options.role,
                                      carried: export?.lines.count ?? 0)
        for item in items where export == nil {
            try custody.record(.acquired, items: [CustodyEvent.Item(path: item.path, digests: item.digests)],
                               details: acquisitionDetails(item, options.acquisition), time: options.time)
        }
        try custody.record(.sealed, items: [], details: ["seal": "1"], time: options.time)
        // Written line by line rather than as `log.bytes`, so the log is not held twice.
        let logDigest = MultiDigest(options.algorithms)
        try tar.beginFile("\(root)/\(CustodyLog.path)", size: custody.log.byteCount, modified: now)
        for line in custody.log.lines {
            for part in [line, [0x0A]] {
                logDigest.update(part)
                try part.withUnsafeBytes { try tar.writeData($0) }
            }
        }
        tagDigests.append((CustodyLog.path, logDigest.finalize()))

        // The tag manifests and the seal: written as every seal is written (``SealWriter``).
        let writer = SealWriter(tar: tar, root: root, key: key, time: options.time)
        let tagManifestDigests = try writer.writeTagManifests(tagDigests, algorithms: options.algorithms, version: version)
        let statement = writer.statement(number: 1, manifests: manifestDigests, tagManifests: tagManifestDigests,
                                         log: custody.log, previousSeal: nil)
        try writer.writeSeal(statement, tsaURLs: options.tsaURLs, tsaHash: options.tsaHash)
        return SealResult(bundleID: root, output: options.output, fileCount: plan.files.count,
                          payloadBytes: plan.payloadBytes, signerKeyID: key.keyID.description, sealedAt: statement.claimedTime)
    }

    /// The acquisition facts an item of a store bundle shows in items.json: those of its first acquisition in the case.
    static func acquisition(of record: AcquisitionRecord) -> Acquisition {
        Acquisition(collector: record.collector, sourceURL: record.sourceURL, device: record.device,
                    location: record.location, note: record.note)
    }

    /// What an `acquired` event records: the acquisition facts as given, and the source file's modification time.
    static func acquisitionDetails(_ item: ItemsFile.Item, _ acquisition: Acquisition) -> [String: String] {
        var details = [String: String]()
        details["collector"] = acquisition.collector
        details["sourceUrl"] = acquisition.sourceURL
        details["device"] = acquisition.device
        details["location"] = acquisition.location
        details["note"] = acquisition.note
        details["modified"] = item.modified
        return details
    }

    /// Reads one source file into the pipeline: its bytes go to the tar (through the side lane, after the entry's
    /// header) and to every digest. Returns as soon as the file is read, with its pending digests and first bytes.
    private static func copy(
        _ file: SealPlan.File, into tar: TarWriter, root: String, algorithms: [DigestAlgorithm],
        pipeline: FileSequencePipeline, metadata: (index: Int, writer: MetadataRecordsFile.Writer)? = nil
    ) throws -> (pending: FileSequencePipeline.Pending, prefix: [UInt8]) {
        let source = try ReadOnlyFile(rawPath: file.source, display: file.displaySource)
        let changed = AmanaError(.sourceChanged, "\(file.displaySource) changed while it was being sealed",
                                 hint: "seal it again once nothing is writing to it")
        // The file opened must be the file planned, unedited: same inode, size, modification and change times (an
        // edit in between would otherwise be sealed under the planned mtime).
        guard UInt64(source.info.st_dev) == file.device, UInt64(source.info.st_ino) == file.inode,
              source.size == file.size, Int64(source.info.st_mtim.tv_sec) == file.modified,
              Int(source.info.st_mtim.tv_nsec) == file.modifiedNanos,
              source.info.st_ctim.tv_sec == file.changed.tv_sec, source.info.st_ctim.tv_nsec == file.changed.tv_nsec
        else { throw changed }
        _ = posix_fadvise(source.fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        let entryPath = "\(root)/\(file.bagPath)"
        try pipeline.onSideLane { try tar.beginFile(entryPath, size: file.size, modified: file.modified) }
        var prefix = [UInt8]()
        var readSoFar: UInt64 = 0
        let pending = try pipeline.add(algorithms: algorithms, read: { slot in
            let n = try source.readFully(into: slot)
            // Never more than planned: the tar header already promised `file.size` bytes.
            guard readSoFar + UInt64(n) <= file.size else { throw changed }
            readSoFar += UInt64(n)
            ByteProgress.add(n)
            if prefix.isEmpty { prefix = Array(UnsafeRawBufferPointer(rebasing: slot[..<min(n, 64)])) }
            return n
        }, side: { chunk in try tar.writeData(chunk) }, whole: metadata.map { $0.writer.whole($0.index, file) })
        // A file larger than one slot of the ring: its metadata is read here, through the descriptor just checked.
        if let metadata, !pending.wasWhole { metadata.writer.read(metadata.index, file, descriptor: source.fd) }
        var after = stat()
        guard pending.byteCount == file.size, fstat(source.fd, &after) == 0, after.st_size == source.info.st_size,
              after.st_mtim.tv_sec == source.info.st_mtim.tv_sec, after.st_mtim.tv_nsec == source.info.st_mtim.tv_nsec,
              after.st_ctim.tv_sec == source.info.st_ctim.tv_sec, after.st_ctim.tv_nsec == source.info.st_ctim.tv_nsec
        else { throw changed }
        return (pending, prefix)
    }

    private static func bagInfo(_ plan: SealPlan, options: SealOptions, key: SecretKey) -> BagInfo {
        var fields = [TagFile.Field]()
        fields.append(.init("Bag-Software-Agent", AmanaVersion.agent))
        fields.append(.init("Bagging-Date", UTCTime.day(options.time)))
        if let name = key.publicKey.name { fields.append(.init("Contact-Name", name)) }
        if let title = options.title { fields.append(.init("External-Description", title)) }
        fields.append(.init("External-Identifier", options.bundleID))
        if let caseID = options.caseID { fields.append(.init("Internal-Sender-Identifier", caseID)) }
        fields.append(.init("Payload-Oxum", "\(plan.payloadBytes).\(plan.files.count)"))
        if let organization = key.publicKey.organization { fields.append(.init("Source-Organization", organization)) }
        return BagInfo(fields: fields)
    }
}
