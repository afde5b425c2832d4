import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `amana seal --store` takes from an evidence store (spec/store.md section 8): the objects to seal, under
/// which names, and their acquisition events copied byte for byte from the ledger, each with an RFC 9162 inclusion
/// proof against a checkpoint signed for this export.
///
/// The catalog only finds the items and acquisitions; the lines carried are read from the ledger itself and each is
/// checked to be the acquisition the catalog said, so a damaged catalog cannot put a wrong event in a bundle. The
/// sealer signs a fresh checkpoint over the ledger it read and checked under the store lock: a bundle never carries a
/// checkpoint older than its events, nor one by a key the sealer did not hold.
package final class StoreExport {
    /// One object to seal.
    package struct File: Sendable {
        /// The object's path in the store.
        package var object: String
        /// `data/...`, NFC.
        package var bagPath: String
        /// The recorded source name, when NFC changed it.
        package var originalName: String?
        package var record: AcquisitionRecord
    }

    package let caseID: String
    package let files: [File]
    /// The carried ledger lines (without LF), in ledger order: the bundle's custody log begins with them.
    package let lines: [[UInt8]]
    package let proofs: StoreProofs
    /// Nil for an export assembled from its parts (the vector generator), which records nothing in a store.
    private let store: EvidenceStore?
    private let ledger: StoreLedgerBackend?
    /// Copies of remote objects (S3) staged in the station's `tmp/` for the sealer, removed when the export goes
    /// away, whether the seal succeeded or not (a killed seal's are removed by the next sweep of `tmp/`).
    private let staged: [String]

    /// An export from its parts, for a bundle made without a store on disk (the test vectors): nothing is checked
    /// here and ``recordSealed(bundleID:key:role:time:)`` records nothing.
    package init(caseID: String, files: [File], lines: [[UInt8]], proofs: StoreProofs) {
        self.caseID = caseID
        self.files = files
        self.lines = lines
        self.proofs = proofs
        store = nil
        ledger = nil
        staged = []
    }

    deinit { StoreExport.remove(staged) }

    /// Collects the case's items (or the listed ones, by SHA-256) and their acquisitions in this case, checks the whole
    /// ledger, and signs and appends a checkpoint over it with `key`. The store must be open for writing (its lock
    /// held until the `sealed` event is recorded).
    package init(store: EvidenceStore, caseID: String, items requested: [String], key: SecretKey, time: Date = Date()) throws {
        self.store = store
        self.caseID = caseID
        let inCase = try store.catalog.items(caseID: caseID)
        guard !inCase.isEmpty else {
            throw AmanaError(.inputInvalid, "the store has no case '\(caseID)'", hint: "'amana store list' shows every item and its cases")
        }
        var chosen = inCase
        if !requested.isEmpty {
            var bySHA256 = [String: StoredItem]()
            for item in inCase { bySHA256[item.sha256] = item }
            var seen = Set<String>()
            chosen = []
            for text in requested {
                let hex = StoreExport.sha256(text)
                guard let hex else {
                    throw AmanaError(.usage, "--item \(text) is not a SHA-256 (64 hex digits, optionally 'sha256:')")
                }
                guard let item = bySHA256[hex] else {
                    throw AmanaError(.inputInvalid, "sha256:\(hex) is not an item of case '\(caseID)' in this store",
                                     hint: "'amana store list --case \(caseID)' shows the case's items")
                }
                if seen.insert(hex).inserted { chosen.append(item) }
            }
        }

        // Every acquisition of the chosen items in this case, by ledger number.
        var wanted = [Int: AcquisitionRecord]()
        var firstInCase = [String: AcquisitionRecord]()
        for item in chosen {
            for record in try store.catalog.acquisitions(sha256: item.sha256) where record.caseID == caseID {
                wanted[record.seq] = record
                if firstInCase[item.sha256] == nil { firstInCase[item.sha256] = record }
            }
        }

        // The ledger must audit clean before anyone vouches for it with a checkpoint.
        var damaged = [Int]()
        let ledger = try store.ledger()
        self.ledger = ledger
        let checkpoints = try store.auditLedger { entry in
            if !entry.problems.isEmpty { damaged.append(entry.seq) }
        }
        if let first = damaged.first {
            throw AmanaError(.inputInvalid, "the store's ledger is damaged at event \(first); amana will not vouch for it",
                             hint: "'amana store log' shows every damaged line")
        }
        if checkpoints.contains(where: { !$0.problems.isEmpty }) {
            throw AmanaError(.inputInvalid, "a checkpoint of the store's ledger does not match it: its history was rewritten",
                             hint: "'amana store log' shows which checkpoint")
        }
        var lines = [[UInt8]]()
        try ledger.forEachLine { seq, line in
            guard let expected = wanted[seq] else { return }
            let event = try CustodyEvent(line: line)
            guard let record = AcquisitionRecord(seq: seq, event: event), record.sha256 == expected.sha256,
                  record.caseID == caseID else {
                throw AmanaError(.inputInvalid, "ledger event \(seq) is not the acquisition the catalog indexes",
                                 hint: "'amana store rebuild-catalog' recreates the catalog from the ledger")
            }
            lines.append(line)
        }
        guard lines.count == wanted.count else {
            throw AmanaError(.inputInvalid, "the catalog indexes acquisitions the ledger does not hold",
                             hint: "'amana store rebuild-catalog' recreates the catalog from the ledger")
        }
        self.lines = lines

        let checkpoint = try ledger.checkpoint(key: key, time: time)
        // The proofs are against the checkpoint just signed, over exactly the lines it covers.
        var batch = MerkleProofBatch(leafHashes: try ledger.leafHashes(size: checkpoint.size))
        let proofs = wanted.keys.sorted().map { batch.inclusionProof(index: $0 - 1) }
        self.proofs = StoreProofs(caseID: caseID, checkpoint: checkpoint, proofs: proofs)
        let objects = store.objects
        var refs = [String: StoredObjectRef]()
        for item in chosen { refs[item.sha256] = StoredObjectRef(item) }
        var staging = [String]()
        do {
            files = try StoreExport.name(chosen.map { firstInCase[$0.sha256]! }) { record in
                // The object as its first acquisition in the store stored it, whichever acquisition names it here.
                guard let ref = refs[record.sha256] else {
                    throw AmanaError(.internalFailure, "sha256:\(record.sha256) was not chosen")
                }
                if let path = objects.localPath(ref) { return path }
                let path = try StoreExport.stage(ref, from: objects, into: store.layout.temporaryFolder)
                staging.append(path)
                return path
            }
        } catch {
            StoreExport.remove(staging)
            throw error
        }
        staged = staging
    }

    /// Copies a remote object (read by the version the store recorded) into `folder`, hashing it as it streams, and
    /// returns the copy's path only when both digests and the size are the recorded ones: the sealer then reads a
    /// local file proven to be the stored object. Memory stays flat (one buffer of the back end's at a time).
    static func stage(_ ref: StoredObjectRef, from objects: ObjectStore, into folder: String) throws -> String {
        // A name the sweep of tmp/ removes (a killed seal's copy), unique to this object.
        let path = "\(folder)/\(AtomicOutput.partialPrefix)staged-\(ref.sha256)"
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw AmanaError(.outputFailed, "cannot stage sha256:\(ref.sha256) in \(folder): \(POSIX.errorText())")
        }
        var closed = false
        defer { if !closed { close(fd) } }
        do {
            let digest = MultiDigest([.sha256, .sha512])
            try objects.read(ref) { chunk in
                try digest.update(chunk)
                try POSIX.writeAll(fd, chunk, path: path)
            }
            closed = true
            guard close(fd) == 0 else {
                throw AmanaError(.outputFailed, "cannot write \(path): \(POSIX.errorText())")
            }
            let found = digest.finalize()
            guard found[.sha256]!.hex == ref.sha256, found[.sha512]!.hex == ref.sha512, digest.byteCount == ref.size
            else {
                throw AmanaError(.inputInvalid, "the stored object sha256:\(ref.sha256) read back does not match its "
                                 + "recorded digests; nothing was sealed", hint: "run 'amana store verify'")
            }
            return path
        } catch {
            unlink(path)
            throw error
        }
    }

    static func remove(_ paths: [String]) {
        for path in paths { unlink(path) }
    }

    /// Appends the `sealed` event to the store's ledger, indexes it (a row in the catalog's `seals` table) and writes a
    /// checkpoint after it: the store records which bundle its objects and events went into.
    @discardableResult
    package func recordSealed(bundleID: String, key: SecretKey, role: String?, time: Date = Date()) throws -> CustodyEvent? {
        guard store != nil, let ledger else { return nil }
        let items = files.map(\.record.ledgerItem)
        let carried = (0..<proofs.count).map { index in
            (try? CustodyEvent(line: lines[index])).map { String($0.seq) } ?? "?"
        }
        let details = [
            "bundle": bundleID, "case": caseID, "carried": carried.joined(separator: ","),
            "checkpoint.size": String(proofs.checkpoint.size), "checkpoint.root": proofs.checkpoint.root,
        ]
        // The ledger back end numbers the event from its head and indexes it in the catalog (a row in `seals`).
        let (event, _) = try ledger.append(.sealed, items: items, details: details, key: key, role: role, time: time)
        try ledger.checkpoint(key: key, time: time)
        return event
    }

    /// A 64-digit SHA-256 from `sha256:HEX` or `HEX`, lowercased; nil for anything else.
    static func sha256(_ text: String) -> String? {
        let hex = (text.hasPrefix("sha256:") ? String(text.dropFirst(7)) : text).lowercased()
        guard hex.utf8.count == 64, Hex.decode(hex) != nil else { return nil }
        return hex
    }

    /// Payload names: each item under the source path of its first acquisition in the case (spec/store.md section 8.2),
    /// in NFC. When that name is taken (two contents from one path, or a file where another needs a folder), or is not
    /// one a bundle can hold, the item goes to `data/<sha256>/<last name>` instead, which no other item can claim.
    package static func name(_ firsts: [AcquisitionRecord], layout: StoreLayout) throws -> [File] {
        try name(firsts) { layout.objectPath(sha256: $0.sha256) }
    }

    /// The same, with each object's local path from `objectPath`.
    static func name(_ firsts: [AcquisitionRecord], objectPath: (AcquisitionRecord) throws -> String) throws -> [File] {
        var files = Set<String>(), folders = Set<String>()
        func free(_ path: String) -> Bool {
            guard !files.contains(path), !folders.contains(path) else { return false }
            var parts = path.split(separator: "/").map(String.init)
            while parts.count > 1 {
                parts.removeLast()
                if files.contains(parts.joined(separator: "/")) { return false }
            }
            return true
        }
        func claim(_ path: String) {
            files.insert(path)
            var parts = path.split(separator: "/").map(String.init)
            while parts.count > 1 {
                parts.removeLast()
                folders.insert(parts.joined(separator: "/"))
            }
        }
        var out = [File]()
        for record in firsts.sorted(by: { $0.seq < $1.seq }) {
            let components = record.source.path.split(separator: "/").map(String.init)
            let stored = components.map { try? SealPlan.storedName($0, shownAs: record.source.path) }
            var bagPath: String?
            var originalName: String?
            if !components.isEmpty, stored.allSatisfy({ $0 != nil }) {
                let candidate = "\(BagItNames.payloadDirectory)/" + stored.map { $0!.stored }.joined(separator: "/")
                if free(candidate) {
                    bagPath = candidate
                    originalName = stored.contains { $0!.original != nil } ? record.source.path : nil
                }
            }
            if bagPath == nil {
                let last = stored.last.flatMap { $0?.stored } ?? "content"
                let candidate = "\(BagItNames.payloadDirectory)/\(record.sha256)/\(last)"
                guard free(candidate) else {
                    throw AmanaError(.internalFailure, "no free payload name for sha256:\(record.sha256)")
                }
                bagPath = candidate
                originalName = record.source.path == String(last) ? nil : record.source.path
            }
            claim(bagPath!)
            out.append(File(object: try objectPath(record), bagPath: bagPath!,
                            originalName: originalName, record: record))
        }
        return out.sorted { $0.bagPath.utf8.lexicographicallyPrecedes($1.bagPath.utf8) }
    }
}
