import AmanaKit
import Foundation

/// Bundles sealed from an evidence store (custody-log.md section 9): every `storeproof.*` code. The store is built
/// here event by event with pinned times and a fixed store id, so the bytes are the same on every run: `signer`
/// ingests and seals, `other` keeps the store and signs its checkpoint.
///
/// Each failing case is what someone holding keys of their own does to the bundle and then seals again with the
/// signer's key, which the verifier trusts: only what the store signed can object.
enum StoreProofVectors {
    static let caseID = "VECTORS"
    static let storeID = "00000000-0000-4000-8000-00000000a11a"
    static let ingestTime = UTCTime.parse("2026-01-14T18:00:00Z")!

    /// The ledger: 1 and 2 acquire the two payload files for the case, 3 acquires the first again for another case,
    /// 4 acquires content the bundle does not hold. The base bundle carries 1 and 2.
    struct Store {
        var lines = [[UInt8]]()
        var leafHashes = [[UInt8]]()
        var checkpoint: StoreCheckpoint
        var export: StoreExport
        var bundle: [UInt8]
    }

    static func store(_ base: BaseBundles) throws -> Store {
        let keys = base.keys
        let fileManager = FileManager.default
        let staging = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("amana-vectors-store-\(getpid())")
        try? fileManager.removeItem(at: staging)
        defer { try? fileManager.removeItem(at: staging) }
        let layout = StoreLayout(root: staging.appendingPathComponent("store").path)
        try fileManager.createDirectory(atPath: layout.ledgerFolder, withIntermediateDirectories: true)
        let ledger = try StoreLedger(layout: layout, storeID: storeID, repair: true)

        let contents = BaseBundles.payload + [("unsealed.txt", utf8("Not part of the bundle.\n"))]
        var records = [AcquisitionRecord]()
        for (index, (name, bytes)) in contents.enumerated() {
            let digests = MultiDigest.digests(of: bytes, [.sha256, .sha512])
            let sha256 = digests[.sha256]!.hex
            let object = URL(fileURLWithPath: layout.objectPath(sha256: sha256))
            try writeFile(bytes, object)
            try fileManager.setAttributes([.modificationDate: ingestTime], ofItemAtPath: object.path)
            let source = SourceRecord(path: "DCIM/\(name)", size: UInt64(bytes.count), mtime: "2026-01-14T16:20:00.000000000Z",
                                      ctime: "2026-01-14T16:20:00.000000000Z", fileSystemType: "vfat", volumeLabel: "CARD-7")
            let record = AcquisitionRecord(seq: 0, sha256: sha256, sha512: digests[.sha512]!.hex, caseID: caseID,
                                           time: "", collector: "Vector Signer", keyID: keys.signer.keyID.description,
                                           device: "SD card 7", location: "north gate", outcome: .new, source: source)
            records.append(record)
            if index == 0 {
                try ledger.append(record.action, items: [record.ledgerItem], details: record.ledgerDetails, key: keys.signer,
                                  role: "documenter", time: ingestTime)
            } else if index == 1 {
                try ledger.append(record.action, items: [record.ledgerItem], details: record.ledgerDetails, key: keys.signer,
                                  role: "documenter", time: ingestTime.addingTimeInterval(60))
                // The first file acquired again, for another case.
                var again = records[0]
                again.caseID = "OTHER-CASE"
                again.outcome = .duplicate
                try ledger.append(again.action, items: [again.ledgerItem], details: again.ledgerDetails, key: keys.signer,
                                  role: "documenter", time: ingestTime.addingTimeInterval(120))
            } else {
                try ledger.append(record.action, items: [record.ledgerItem], details: record.ledgerDetails, key: keys.signer,
                                  role: "documenter", time: ingestTime.addingTimeInterval(180))
            }
        }
        let checkpoint = try ledger.checkpoint(key: keys.other, time: ingestTime.addingTimeInterval(240))
        var lines = [[UInt8]]()
        try StoreLedger.forEachLine(path: layout.ledgerPath) { line, _ in lines.append(line) }
        let leafHashes = ledger.leafHashes
        let proofs = StoreProofs(caseID: caseID, checkpoint: checkpoint,
                                 proofs: [0, 1].map { MerkleTree.inclusionProof(index: $0, leafHashes: leafHashes) })
        var sealed = [AcquisitionRecord]()
        for (index, record) in records.prefix(2).enumerated() {
            var numbered = record
            numbered.seq = index + 1
            sealed.append(numbered)
        }
        let export = StoreExport(caseID: caseID, files: try StoreExport.name(sealed, layout: layout),
                                 lines: Array(lines.prefix(2)), proofs: proofs)
        let output = staging.appendingPathComponent("store-sealed.tar")
        var options = SealOptions(inputs: [], output: output.path)
        options.bundleID = "vector-store-bundle-1"
        options.time = BaseBundles.sealTime
        _ = try Sealer.seal(export: export, options: options, key: keys.signer)
        return Store(lines: lines, leafHashes: leafHashes, checkpoint: checkpoint, export: export,
                     bundle: Array(try Data(contentsOf: output)))
    }

    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let keys = base.keys
        let store = try store(base)
        let sealed = try ForgedBag(tar: store.bundle, keys: keys)
        let proofsPath = StoreProofs.path
        var cases = [VectorCase]()
        func add(_ name: String, _ comment: String, _ verdict: String, _ codes: [String], trust: [String] = ["signer.pub", "other.pub"],
                 forge: Bool = true, _ change: (inout ForgedBag) -> Void = { _ in }) {
            var copy = sealed
            change(&copy)
            if forge {
                // As the forger seals again: tag manifests over the edited files, and a seal over the whole new log.
                let log = try! CustodyLog(bytes: copy[CustodyLog.path]!)
                copy.rewriteTagManifests()
                copy.reseal(1) {
                    $0.custodyLength = log.count
                    $0.custodyRoot = Hex.encode(log.root(ofFirst: log.count))
                }
            }
            var vector = VectorCase("storeproof", name, comment, copy, verdict, codes)
            vector.trust = trust
            cases.append(vector)
        }
        func proofs(_ bag: ForgedBag) -> StoreProofs { try! StoreProofs(bytes: bag[proofsPath]!) }
        /// Edits the log's lines; then the signer's own `sealed` event is numbered and bound again after the carried
        /// lines (which keep the ledger's numbers and chain), as the forger sealing again would.
        func relines(_ bag: inout ForgedBag, _ edit: (inout [[UInt8]]) -> Void) {
            var lines = try! CustodyLog(bytes: bag[CustodyLog.path]!).lines
            edit(&lines)
            for index in lines.indices.dropFirst() {
                var event = try! CustodyEvent(line: lines[index])
                guard event.action == .sealed else { continue }
                event.seq = index + 1
                event.prev = CustodyLog.genesis(bundleID: bag.root, after: lines[index - 1])
                try! event.sign(with: keys.signer)
                lines[index] = event.line
            }
            bag[CustodyLog.path] = CustodyLog(lines: lines).bytes
        }

        add("valid", "two store acquisitions carried, proven against the store keeper's checkpoint; both keys trusted",
            passed, [claimedOnly], forge: false)
        add("store-key-untrusted", "the same bundle, but the store keeper's key is not trusted", indeterminate,
            ["storeproof.checkpoint.untrusted", claimedOnly], trust: ["signer.pub"], forge: false)
        add("store-key-revoked", "the store keeper's key is revoked, in the keyring, before the checkpoint's claimed time",
            failed, ["storeproof.checkpoint.validity", claimedOnly], trust: ["signer.pub", "keeper.keyring"], forge: false)
        cases[cases.count - 1].files["trust/keeper.keyring"] = VectorKeys.keyring([(keys.other, [
            ("name", "Vector Other"), ("revoked-at", "2026-01-14T12:00:00Z"),
        ])])
        add("event-edited", "the collector of carried event 1 changed and the event re-signed by its actor; re-sealed", failed,
            ["storeproof.inclusion.invalid", claimedOnly]) { bag in
            relines(&bag) { lines in
                var event = try! CustodyEvent(line: lines[0])
                event.details["collector"] = "Someone Else"
                try! event.sign(with: keys.signer)
                lines[0] = event.line
            }
        }
        add("checkpoint-other-key", "the checkpoint signed again by the signer while it still names the store keeper's key",
            failed, ["storeproof.checkpoint.signature", claimedOnly]) { bag in
            var edited = proofs(bag)
            try! edited.checkpoint.sign(with: keys.signer)
            bag[proofsPath] = edited.bytes
        }
        add("checkpoint-substituted", "the checkpoint signed by a new key carrying the store keeper's key id", failed,
            ["storeproof.checkpoint.substituted", claimedOnly]) { bag in
            var edited = proofs(bag)
            edited.checkpoint.publicKey = keys.otherTwin.publicKey.base64
            try! edited.checkpoint.sign(with: keys.otherTwin)
            bag[proofsPath] = edited.bytes
        }
        add("case-moved", "carried event 1 replaced by the same content's acquisition for another case, with its own valid proof",
            failed, ["storeproof.case.mismatch", claimedOnly]) { bag in
            relines(&bag) { $0[0] = store.lines[2] }
            var edited = proofs(bag)
            edited.proofs[0] = MerkleTree.inclusionProof(index: 2, leafHashes: store.leafHashes)
            bag[proofsPath] = edited.bytes
        }
        add("item-not-in-bundle", "a third carried event: a valid acquisition for the case of content the bundle does not hold",
            failed, ["storeproof.item.mismatch", claimedOnly]) { bag in
            relines(&bag) { $0.insert(store.lines[3], at: 2) }
            var edited = proofs(bag)
            edited.proofs.append(MerkleTree.inclusionProof(index: 3, leafHashes: store.leafHashes))
            bag[proofsPath] = edited.bytes
        }
        add("proof-dropped", "carried event 2 and its proof removed", failed, ["storeproof.missing", claimedOnly]) { bag in
            relines(&bag) { $0.remove(at: 1) }
            var edited = proofs(bag)
            edited.proofs.removeLast()
            bag[proofsPath] = edited.bytes
        }
        add("own-event-unbound", "the signer's sealed event chained to the last carried line without the bundle id, as in a log taken from another bundle sealed from the same store; re-sealed",
            failed, ["custody.chain.broken", claimedOnly]) { bag in
            var lines = try! CustodyLog(bytes: bag[CustodyLog.path]!).lines
            var sealedEvent = try! CustodyEvent(line: lines[2])
            sealedEvent.prev = CustodyLog.chainValue(after: lines[1])
            try! sealedEvent.sign(with: keys.signer)
            lines[2] = sealedEvent.line
            bag[CustodyLog.path] = CustodyLog(lines: lines).bytes
        }
        add("proofs-malformed", "store-proofs.json not canonical: the carried events are then judged as ordinary events",
            failed, ["storeproof.malformed", "custody.chain.broken", "custody.item.absent", claimedOnly]) { bag in
            bag[proofsPath] = utf8(bag.text(proofsPath).replacingOccurrences(of: "\"case\":", with: "\"case\": "))
        }
        return cases
    }
}
