import AmanaKit
import Foundation

/// An organisation store's ledger objects on S3, and the chain a rebuild must make of them (spec/store.md 11.3): every
/// `store.ledger.s3.*` code a bucket alone can give, and `store.checkpoint.s3.mismatch`. No bundle and no command: a
/// case is a bucket's listing written as files (fixtures/vectors/README.md, "The s3ledger family"), so its runner is
/// not the command-line one.
///
/// Events are notes signed by `signer` at pinned times, checkpoints are signed by `other`, so the bytes are the same on
/// every run (Ed25519 signatures are deterministic). A forgery is signed by `signerTwin`, which carries the signer's
/// key id: its events name the signer's public key, so their signatures do not verify.
enum S3LedgerVectors {
    static let storeID = "00000000-0000-4000-8000-0000000053a1"
    /// Another store of the same organisation: its chain starts from another genesis.
    static let otherStoreID = "00000000-0000-4000-8000-0000000053a2"
    static let start = UTCTime.parse("2026-02-02T10:00:00Z")!

    /// One finding a rebuild must give: its code, the key it names (nil for the chain as a whole) and, for an
    /// overwrite, the version.
    struct Finding {
        var code: String
        var key: String?
        var version: String?
    }

    /// One case: the bucket (keys with one version, and keys with several), the database's lines if one survives,
    /// and the chain expected.
    struct Case {
        var name: String
        var comment: String
        var storeID = S3LedgerVectors.storeID
        /// Keys with one version (its id is "1").
        var objects = [String: [UInt8]]()
        /// Keys with several versions, oldest first: (key, version id, bytes or nil for a delete marker).
        var versions = [(key: String, id: String, bytes: [UInt8]?)]()
        var database: [[UInt8]]?
        var chain = [[UInt8]]()
        var checkpoints = [Int]()
        var findings = [Finding]()

        init(_ name: String, _ comment: String) {
            self.name = name
            self.comment = comment
        }

        mutating func put(_ object: (key: String, bytes: [UInt8])) { objects[object.key] = object.bytes }
    }

    // MARK: Ledger objects

    /// Notes numbered and chained after `head` (the lines before them), as an append signs them.
    static func notes(_ labels: [String], after head: [[UInt8]], storeID: String = storeID, key: SecretKey) throws
        -> [[UInt8]] {
        try PostgresLedger.sign(labels.map { PostgresLedger.Pending(action: .note, items: [], details: ["text": $0]) },
                                after: (head.count, head.last), storeID: storeID, key: key, role: "documenter",
                                time: start.addingTimeInterval(60 * Double(head.count)))
    }

    static func sha256(_ bytes: [UInt8]) -> String { MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex }

    /// The object a batch is written as: its key (named by its numbers and digest) and bytes.
    static func batch(_ lines: [[UInt8]], firstSeq: Int) -> (key: String, bytes: [UInt8]) {
        let bytes = S3LedgerArchive.batchBytes(lines)
        return ("ledger/events/" + S3LedgerArchive.batchName(firstSeq: firstSeq, lastSeq: firstSeq + lines.count - 1,
                                                             sha256: sha256(bytes)), bytes)
    }

    /// A checkpoint over `lines` signed by `key`; `edit` changes it before it is signed.
    static func checkpoint(_ lines: [[UInt8]], storeID: String = storeID, key: SecretKey,
                           _ edit: (inout StoreCheckpoint) -> Void = { _ in }) throws -> StoreCheckpoint {
        var checkpoint = StoreCheckpoint(origin: StoreCheckpoint.origin(storeID: storeID), size: lines.count,
                                         root: Hex.encode(MerkleTree.root(leafHashes: lines.map(MerkleTree.leafHash))),
                                         time: UTCTime.format(start.addingTimeInterval(3600 + 60 * Double(lines.count))),
                                         keyID: key.keyID.description, publicKey: key.publicKey.base64)
        edit(&checkpoint)
        try checkpoint.sign(with: key)
        return checkpoint
    }

    /// The object a checkpoint is written as; `size` names another size than the checkpoint's.
    static func object(_ checkpoint: StoreCheckpoint, size: Int? = nil) -> (key: String, bytes: [UInt8]) {
        let bytes = checkpoint.line + [0x0A]
        return ("ledger/checkpoints/" + S3LedgerArchive.checkpointName(size: size ?? checkpoint.size, sha256: sha256(bytes)),
                bytes)
    }

    // MARK: Cases

    static func cases(_ keys: VectorKeys) throws -> [Case] {
        let signer = keys.signer, keeper = keys.other
        let malformed = "store.ledger.s3.malformed", overwrite = "store.ledger.s3.overwrite"
        let orphan = "store.ledger.s3.orphan", ambiguous = "store.ledger.s3.ambiguous", gap = "store.ledger.s3.gap"
        let unconfirmed = "store.ledger.s3.unconfirmed", mismatch = "store.checkpoint.s3.mismatch"
        // The honest history every case starts from: events 1-2, then 3, then 4-5.
        let one = try notes(["card 7 acquired", "card 8 acquired"], after: [], key: signer)
        let two = try notes(["case opened"], after: one, key: signer)
        let three = try notes(["export made", "export handed over"], after: one + two, key: signer)
        var cases = [Case]()

        var clean = Case("clean", "three batches (events 1-2, 3, 4-5) and a checkpoint over all five: the chain, nothing else")
        clean.put(batch(one, firstSeq: 1))
        clean.put(batch(two, firstSeq: 3))
        clean.put(batch(three, firstSeq: 4))
        clean.put(object(try checkpoint(one + two + three, key: keeper)))
        clean.chain = one + two + three
        clean.checkpoints = [5]
        cases.append(clean)

        let empty = Case("empty", "a store that never appended: no ledger object, an empty chain, no finding")
        cases.append(empty)

        var tail = Case("unconfirmed-tail", "the checkpoint covers events 1-2 only: 3 to 5 are restored, and reported")
        tail.put(batch(one, firstSeq: 1))
        tail.put(batch(two, firstSeq: 3))
        tail.put(batch(three, firstSeq: 4))
        tail.put(object(try checkpoint(one, key: keeper)))
        tail.chain = one + two + three
        tail.checkpoints = [2]
        tail.findings = [Finding(code: unconfirmed)]
        cases.append(tail)

        // A failed commit: events 3-4 written from head 2, then the transaction rolled back; the retry wrote other
        // events 3-4 from the same head, and event 5 followed them.
        let failed = try notes(["export made", "upload aborted"], after: one, key: signer)
        let retry = try notes(["export made again", "export handed over"], after: one, key: signer)
        let next = try notes(["case closed"], after: one + retry, key: signer)
        var orphaned = Case("orphan-failed-commit", "events 3-4 written twice from the same head (a commit that failed "
                            + "after its batch was written, then the retry); event 5 chains from the retry, which decides")
        orphaned.put(batch(one, firstSeq: 1))
        orphaned.put(batch(failed, firstSeq: 3))
        orphaned.put(batch(retry, firstSeq: 3))
        orphaned.put(batch(next, firstSeq: 5))
        orphaned.put(object(try checkpoint(one + retry + next, key: keeper)))
        orphaned.chain = one + retry + next
        orphaned.checkpoints = [5]
        orphaned.findings = [Finding(code: orphan, key: batch(failed, firstSeq: 3).key)]
        cases.append(orphaned)

        // A fork decided by a checkpoint: event 3 alone, or events 3-4; the checkpoint over 3 events has the root of
        // 1-2 and the single event 3.
        let longer = try notes(["case opened by mistake", "duplicate note"], after: one, key: signer)
        var byCheckpoint = Case("fork-decided-by-checkpoint", "two batches from head 2 (event 3, and events 3-4), no "
                                + "later batch; a checkpoint over 3 events confirms the first")
        byCheckpoint.put(batch(one, firstSeq: 1))
        byCheckpoint.put(batch(two, firstSeq: 3))
        byCheckpoint.put(batch(longer, firstSeq: 3))
        byCheckpoint.put(object(try checkpoint(one + two, key: keeper)))
        byCheckpoint.chain = one + two
        byCheckpoint.checkpoints = [3]
        byCheckpoint.findings = [Finding(code: orphan, key: batch(longer, firstSeq: 3).key)]
        cases.append(byCheckpoint)

        // A fork nothing decides: two events 3 from head 2, nothing after them, the checkpoint over 1-2 only.
        let rival = try notes(["case reopened"], after: one, key: signer)
        var undecided = Case("fork-ambiguous", "two batches holding event 3 from head 2, no later batch and no "
                             + "checkpoint past event 2: the chain ends at 2 and both are reported")
        undecided.put(batch(one, firstSeq: 1))
        undecided.put(batch(two, firstSeq: 3))
        undecided.put(batch(rival, firstSeq: 3))
        undecided.put(object(try checkpoint(one, key: keeper)))
        undecided.chain = one
        undecided.checkpoints = [2]
        undecided.findings = [Finding(code: ambiguous, key: batch(two, firstSeq: 3).key),
                              Finding(code: ambiguous, key: batch(rival, firstSeq: 3).key)]
        cases.append(undecided)

        var byDatabase = undecided
        byDatabase.name = "fork-decided-by-database"
        byDatabase.comment = "the same fork, but the database still holds events 1-3: its event 3 decides"
        byDatabase.database = one + rival
        byDatabase.chain = one + rival
        byDatabase.findings = [Finding(code: orphan, key: batch(two, firstSeq: 3).key), Finding(code: unconfirmed)]
        cases.append(byDatabase)

        var gapped = Case("gap", "the batch holding event 3 is missing: events 4-5 cannot chain, and show that the "
                          + "chain had more events")
        gapped.put(batch(one, firstSeq: 1))
        gapped.put(batch(three, firstSeq: 4))
        gapped.put(object(try checkpoint(one, key: keeper)))
        gapped.chain = one
        gapped.checkpoints = [2]
        gapped.findings = [Finding(code: orphan, key: batch(three, firstSeq: 4).key), Finding(code: gap)]
        cases.append(gapped)

        // Malformed batches: each beside an honest chain 1-5, each ignored.
        var broken = clean
        broken.name = "malformed-batches"
        broken.comment = "beside the clean chain: a key that is not a batch's name, a batch whose name counts another "
            + "number of lines, one numbered otherwise than its name, one whose lines do not chain, one not ending "
            + "with LF, and one whose event is signed by another key than the one it names"
        let stray = ("ledger/events/notes.txt", utf8("not a batch\n"))
        broken.put(stray)
        let miscounted = S3LedgerArchive.batchBytes(three)
        let miscountedKey = "ledger/events/" + S3LedgerArchive.batchName(firstSeq: 4, lastSeq: 6, sha256: sha256(miscounted))
        broken.objects[miscountedKey] = miscounted
        let renumbered = batch(three, firstSeq: 6)
        broken.put(renumbered)
        let unchained = batch([three[0], next[0]], firstSeq: 4)
        broken.put(unchained)
        let noFeed = Array(S3LedgerArchive.batchBytes(two).dropLast())
        let noFeedKey = "ledger/events/" + S3LedgerArchive.batchName(firstSeq: 3, lastSeq: 3, sha256: sha256(noFeed))
        broken.objects[noFeedKey] = noFeed
        var forged = try CustodyEvent(line: rival[0])
        try forged.sign(with: keys.signerTwin)
        let forgedBatch = batch([forged.line], firstSeq: 3)
        broken.put(forgedBatch)
        broken.findings = [stray.0, miscountedKey, renumbered.key, unchained.key, noFeedKey, forgedBatch.key]
            .map { Finding(code: malformed, key: $0) }
        cases.append(broken)

        // Overwrites: versions under a ledger key that are not its bytes.
        var overwritten = Case("overwrite", "batch 3's key holds its bytes (version 1), then other bytes (2) and a "
                               + "delete marker (3): version 1 is read, 2 and 3 are reported; batch 4-5's key holds "
                               + "only other bytes: reported, and the batch is malformed (no version hashes to its name); so does the key of a "
                               + "checkpoint over 5 events")
        overwritten.put(batch(one, firstSeq: 1))
        let third = batch(two, firstSeq: 3)
        overwritten.versions = [(third.key, "1", third.bytes), (third.key, "2", S3LedgerArchive.batchBytes(rival)),
                                (third.key, "3", nil)]
        let replaced = batch(three, firstSeq: 4)
        overwritten.versions.append((replaced.key, "1", S3LedgerArchive.batchBytes(longer)))
        overwritten.put(object(try checkpoint(one + two, key: keeper)))
        // A checkpoint's key too: the checkpoint over 5 events, whose one version holds the checkpoint over 2.
        let hidden = object(try checkpoint(one + two + three, key: keeper))
        overwritten.versions.append((hidden.key, "1", object(try checkpoint(one, key: keeper)).bytes))
        overwritten.chain = one + two
        overwritten.checkpoints = [3]
        overwritten.findings = [Finding(code: overwrite, key: third.key, version: "2"),
                                Finding(code: overwrite, key: third.key, version: "3"),
                                Finding(code: overwrite, key: replaced.key, version: "1"),
                                Finding(code: malformed, key: replaced.key),
                                Finding(code: overwrite, key: hidden.key, version: "1"),
                                Finding(code: malformed, key: hidden.key)]
        cases.append(overwritten)

        var retried = clean
        retried.name = "retried-put"
        retried.comment = "batch 3's key holds the same bytes twice (a PUT retried after its answer was lost): no finding"
        let retriedBatch = batch(two, firstSeq: 3)
        retried.objects[retriedBatch.key] = nil
        retried.versions = [(retriedBatch.key, "1", retriedBatch.bytes), (retriedBatch.key, "2", retriedBatch.bytes)]
        cases.append(retried)

        // Checkpoints that are not over the chain.
        var checkpoints = Case("checkpoint-mismatch", "the chain 1-5 and its checkpoint over 3 events, beside: a "
                               + "checkpoint whose root is not the chain's, one of another store, one whose signature "
                               + "does not verify, one whose name says another size, and a key that is not a "
                               + "checkpoint's name")
        checkpoints.put(batch(one, firstSeq: 1))
        checkpoints.put(batch(two, firstSeq: 3))
        checkpoints.put(batch(three, firstSeq: 4))
        checkpoints.put(object(try checkpoint(one + two, key: keeper)))
        let wrongRoot = object(try checkpoint(one + rival, key: keeper))
        let foreign = object(try checkpoint(one, storeID: otherStoreID, key: keeper))
        var unsigned = try checkpoint(one + two + three, key: keeper)
        unsigned.time = UTCTime.format(start.addingTimeInterval(7200))
        let badSignature = object(unsigned)
        let misnamed = object(try checkpoint(one, key: keeper), size: 4)
        let strayCheckpoint = ("ledger/checkpoints/latest.json", object(try checkpoint(one, key: keeper)).bytes)
        for entry in [wrongRoot, foreign, badSignature, misnamed, strayCheckpoint] { checkpoints.put(entry) }
        checkpoints.chain = one + two + three
        checkpoints.checkpoints = [3]
        checkpoints.findings = [wrongRoot.key, foreign.key, badSignature.key, misnamed.key, strayCheckpoint.0]
            .map { Finding(code: mismatch, key: $0) } + [Finding(code: unconfirmed)]
        cases.append(checkpoints)

        // A checkpoint past the chain's end also shows that events existed.
        var beyond = Case("checkpoint-beyond-chain", "events 1-3 on S3 and a checkpoint over 5 events: the "
                          + "checkpoint is not over the chain, and says events are missing")
        beyond.put(batch(one, firstSeq: 1))
        beyond.put(batch(two, firstSeq: 3))
        let over = object(try checkpoint(one + two + three, key: keeper))
        beyond.put(over)
        beyond.chain = one + two
        beyond.findings = [Finding(code: mismatch, key: over.key), Finding(code: gap), Finding(code: unconfirmed)]
        cases.append(beyond)

        // The store id binds the chain: another store's batches never chain into this one.
        let elsewhere = try notes(["card 7 acquired", "card 8 acquired"], after: [], storeID: otherStoreID, key: signer)
        var wrongStore = Case("other-store", "events 1-2 signed for another store (their genesis is that store's) and "
                              + "its checkpoint: nothing chains from this store's genesis")
        let foreignBatch = batch(elsewhere, firstSeq: 1)
        wrongStore.put(foreignBatch)
        let foreignCheckpoint = object(try checkpoint(elsewhere, storeID: otherStoreID, key: keeper))
        wrongStore.put(foreignCheckpoint)
        wrongStore.findings = [Finding(code: orphan, key: foreignBatch.key), Finding(code: mismatch, key: foreignCheckpoint.key)]
        cases.append(wrongStore)

        // A command that died after archiving its checkpoint and before committing it, then the next checkpoint of
        // that size: both are over the chain, so neither is a finding (spec/store.md 11.3).
        var twice = Case("duplicate-checkpoints", "the chain 1-5; two checkpoints of the empty ledger (an init that "
                         + "died after archiving its own, then the rerun's, by another key and later) and two over "
                         + "all five events (a seal that died likewise, then the next): one per size is restored, "
                         + "and none is a finding")
        twice.put(batch(one, firstSeq: 1))
        twice.put(batch(two, firstSeq: 3))
        twice.put(batch(three, firstSeq: 4))
        let later = { (checkpoint: inout StoreCheckpoint) in
            checkpoint.time = UTCTime.format(start.addingTimeInterval(7200))
        }
        for lines in [[], one + two + three] {
            twice.put(object(try checkpoint(lines, key: keeper)))
            twice.put(object(try checkpoint(lines, key: signer, later)))
        }
        twice.chain = one + two + three
        twice.checkpoints = [0, 5]
        cases.append(twice)
        return cases
    }

    // MARK: Writing

    /// Writes every case under `root/s3ledger/`; returns how many.
    static func write(under root: URL, keys: VectorKeys) throws -> Int {
        let cases = try cases(keys)
        for vector in cases {
            let folder = root.appendingPathComponent("s3ledger/\(vector.name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (key, bytes) in vector.objects { try writeFile(bytes, folder.appendingPathComponent("objects/" + key)) }
            if !vector.versions.isEmpty {
                var listed = [[String: Any]]()
                for (key, id, bytes) in vector.versions {
                    var entry: [String: Any] = ["key": key, "version": id]
                    if let bytes {
                        let file = "versions/\(listed.count + 1).bin"
                        try writeFile(bytes, folder.appendingPathComponent(file))
                        entry["file"] = file
                    } else {
                        entry["file"] = NSNull()
                    }
                    listed.append(entry)
                }
                let data = try JSONSerialization.data(withJSONObject: listed,
                                                      options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                try writeFile(Array(data) + [10], folder.appendingPathComponent("versions.json"))
            }
            if let database = vector.database {
                try writeFile(S3LedgerArchive.batchBytes(database), folder.appendingPathComponent("database.jsonl"))
            }
            let findings: [[String: Any]] = vector.findings.map { finding in
                var entry: [String: Any] = ["code": finding.code, "key": finding.key ?? NSNull()]
                if let version = finding.version { entry["version"] = version }
                return entry
            }.sorted { ($0["code"] as! String, ($0["key"] as? String) ?? "", ($0["version"] as? String) ?? "")
                < ($1["code"] as! String, ($1["key"] as? String) ?? "", ($1["version"] as? String) ?? "") }
            let leaves = vector.chain.map(MerkleTree.leafHash)
            try writeJSON([
                "comment": vector.comment,
                "storeId": vector.storeID,
                "length": vector.chain.count,
                "head": vector.chain.last.map(sha256) ?? NSNull(),
                "root": Hex.encode(MerkleTree.root(leafHashes: leaves)),
                "checkpoints": vector.checkpoints,
                "findings": findings,
            ], folder.appendingPathComponent("expected.json"))
        }
        return cases.count
    }
}
