import Foundation

/// The one chain of events rebuilt from the ledger objects on S3 (spec/store.md 11.3), with what was left out.
///
/// Batches are taken in order of their first seq, each chaining (`prev`) from the line before (the genesis of
/// `amana-store:<store id>` for event 1, which binds the chain to its store). Where several well-formed batches start
/// from the same head (a fork: an append whose commit failed after its batch was written, then the real append from
/// the same head, or a forgery), the one the database still holds wins; without a database, the one that a later batch
/// chains from or that a checkpoint's Merkle root confirms. A fork that neither decides ends the chain there and is
/// reported, never guessed. Only 32 bytes per event (its leaf hash) and one small record per batch stay in memory;
/// the lines themselves are read again, batch by batch, by ``forEachLine(_:)``.
package struct S3LedgerChain {
    /// One well-formed batch object: its lines parse, are numbered as its name says, chain within it and verify.
    struct Batch {
        let key: String
        let versionID: String
        let firstSeq: Int
        let lastSeq: Int
        let sha256: String
        /// The first line's `prev`, and the chain value after the last line.
        let firstPrev: String
        let lastChain: String
        let leaves: [[UInt8]]

        init(key: String, versionID: String, firstSeq: Int, lastSeq: Int, sha256: String, bytes: [UInt8]) throws {
            self.key = key
            self.versionID = versionID
            self.firstSeq = firstSeq
            self.lastSeq = lastSeq
            self.sha256 = sha256
            let lines = try Batch.lines(bytes)
            guard lines.count == lastSeq - firstSeq + 1 else {
                throw AmanaError(.inputInvalid, "holds \(lines.count) lines, its name says \(lastSeq - firstSeq + 1)")
            }
            var previous: String?
            var leaves = [[UInt8]]()
            var firstPrev = ""
            for (offset, line) in lines.enumerated() {
                guard let event = try? CustodyEvent(line: line) else {
                    throw AmanaError(.inputInvalid, "line \(offset + 1) is not a custody event")
                }
                guard event.seq == firstSeq + offset else {
                    throw AmanaError(.inputInvalid, "line \(offset + 1) is event \(event.seq), not \(firstSeq + offset)")
                }
                if let previous, event.prev != previous {
                    throw AmanaError(.inputInvalid, "event \(event.seq) does not chain from the line before it")
                }
                guard LedgerAudit.signatureValid(event) else {
                    throw AmanaError(.inputInvalid, "event \(event.seq)'s signature does not verify")
                }
                if offset == 0 { firstPrev = event.prev }
                previous = CustodyLog.chainValue(after: line)
                leaves.append(MerkleTree.leafHash(line))
            }
            self.firstPrev = firstPrev
            self.lastChain = previous ?? ""
            self.leaves = leaves
        }

        /// The lines of a batch object: each followed by LF, none empty.
        static func lines(_ bytes: [UInt8]) throws -> [[UInt8]] {
            guard bytes.last == 0x0A else { throw AmanaError(.inputInvalid, "does not end with a line feed") }
            let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            guard lines.allSatisfy({ !$0.isEmpty }) else { throw AmanaError(.inputInvalid, "holds an empty line") }
            return lines
        }
    }

    /// Reads one version's bytes again (the archive's, or a vector folder's) for ``forEachLine(_:)``.
    private let fetch: (_ key: String, _ versionID: String) throws -> [UInt8]
    /// The batches of the chain, in order.
    private let chain: [Batch]
    /// Leaf hashes of every event of the chain, in order.
    package let leaves: [[UInt8]]
    /// The checkpoints on S3 that are over the chain (each one's size and root are the chain's prefix's), by size:
    /// one per size.
    package let checkpoints: [StoreCheckpoint]
    package let findings: [S3LedgerFinding]

    /// How many events the chain holds.
    package var count: Int { leaves.count }

    /// The chain over batches already read, which ``forEachLine(_:)`` reads again from `archive`.
    init(archive: S3LedgerArchive, storeID: String, batches: [Batch],
         checkpoints: [(key: String, checkpoint: StoreCheckpoint)], findings: [S3LedgerFinding],
         preferring: (Int) throws -> [UInt8]?) throws {
        try self.init(fetch: archive.fetch(key:versionID:), storeID: storeID, batches: batches, checkpoints: checkpoints,
                      findings: findings, preferring: preferring)
    }

    /// The same, reading again through `fetch` (one version's bytes by key and version id): the seam that lets
    /// ``S3LedgerArchive/rebuild(storeID:eventsPrefix:checkpointsPrefix:listing:fetch:preferring:)`` run on a folder.
    init(fetch: @escaping (_ key: String, _ versionID: String) throws -> [UInt8], storeID: String, batches: [Batch],
         checkpoints allCheckpoints: [(key: String, checkpoint: StoreCheckpoint)], findings initial: [S3LedgerFinding],
         preferring: (Int) throws -> [UInt8]?) throws {
        self.fetch = fetch
        var findings = initial
        let origin = StoreCheckpoint.origin(storeID: storeID)
        var signed = [(key: String, checkpoint: StoreCheckpoint)]()
        for entry in allCheckpoints {
            if !entry.checkpoint.signatureValid || entry.checkpoint.origin != origin {
                findings.append(S3LedgerFinding(.checkpointMismatch, key: entry.key,
                                                "not signed, or not over this store's ledger: ignored"))
            } else {
                signed.append(entry)
            }
        }
        let byStart = Dictionary(grouping: batches.indices, by: { batches[$0].firstSeq })
        var chosen = [Int]()
        var leaves = [[UInt8]]()
        var prev = CustodyLog.genesis(bundleID: origin)
        var stoppedByFork = false
        while true {
            let next = leaves.count + 1
            let candidates = (byStart[next] ?? []).filter { batches[$0].firstPrev == prev }
            guard !candidates.isEmpty else { break }
            var pick: Int?
            if candidates.count == 1 {
                pick = candidates[0]
            } else if let line = try preferring(next) {
                let leaf = MerkleTree.leafHash(line)
                pick = candidates.first { batches[$0].leaves.first == leaf }
            }
            if pick == nil {
                // Viable: a later batch chains from it, or a checkpoint past the fork confirms it.
                let viable = candidates.filter { index in
                    let batch = batches[index]
                    if (byStart[batch.lastSeq + 1] ?? []).contains(where: { batches[$0].firstPrev == batch.lastChain }) {
                        return true
                    }
                    return signed.contains { entry in
                        let size = entry.checkpoint.size
                        guard size >= next, size <= batch.lastSeq else { return false }
                        let prefix = leaves + batch.leaves.prefix(size - leaves.count)
                        return Hex.encode(MerkleTree.root(leafHashes: prefix)) == entry.checkpoint.root
                    }
                }
                if viable.count == 1 { pick = viable[0] }
            }
            guard let pick else {
                for index in candidates {
                    findings.append(S3LedgerFinding(.ambiguous, key: batches[index].key, version: batches[index].versionID,
                                                    "one of \(candidates.count) batches that continue the chain at event "
                                                    + "\(next); nothing decides between them, so none from there on is taken"))
                }
                stoppedByFork = true
                break
            }
            chosen.append(pick)
            leaves += batches[pick].leaves
            prev = batches[pick].lastChain
        }
        let taken = Set(chosen)
        let end = leaves.count
        let ambiguous = Set(findings.filter { $0.code == .ambiguous }.compactMap(\.key))
        for index in batches.indices where !taken.contains(index) && !ambiguous.contains(batches[index].key) {
            let batch = batches[index]
            let why: String
            if batch.firstSeq == end + 1 && !stoppedByFork {
                why = "does not chain from event \(end), the chain's last"
            } else if batch.firstSeq <= end {
                why = "does not chain into events \(batch.firstSeq) to \(batch.lastSeq) of the chain (a failed commit, or a fork)"
            } else if stoppedByFork {
                why = "past an ambiguous fork at event \(end + 1)"
            } else {
                why = "past a gap: the chain ends at event \(end)"
            }
            findings.append(S3LedgerFinding(.orphan, key: batch.key, version: batch.versionID, why + ": ignored"))
        }
        let later = batches.filter { $0.firstSeq > end + 1 }.map(\.firstSeq).min()
        let beyond = signed.filter { $0.checkpoint.size > end }.map(\.checkpoint.size).max()
        if !stoppedByFork, later != nil || beyond != nil {
            var message = "no batch holds event \(end + 1) chained from event \(end)"
            if let later { message += "; batches on S3 start again at event \(later)" }
            if let beyond { message += "; a checkpoint covers \(beyond) events" }
            findings.append(S3LedgerFinding(.gap, key: nil, message))
        }
        // Checkpoints: those over the chain are kept (one per size); the rest are reported.
        var kept = [Int: StoreCheckpoint]()
        for entry in signed.sorted(by: { $0.key < $1.key }) {
            let size = entry.checkpoint.size
            if size <= end, Hex.encode(MerkleTree.root(leafHashes: leaves.prefix(size))) == entry.checkpoint.root {
                if kept[size] == nil { kept[size] = entry.checkpoint }
            } else {
                findings.append(S3LedgerFinding(.checkpointMismatch, key: entry.key,
                                                size > end ? "covers \(size) events, the chain has \(end)"
                                                    : "its root is not the chain's over \(size) events"))
            }
        }
        let confirmed = kept.keys.max() ?? 0
        if end > confirmed {
            findings.append(S3LedgerFinding(.unconfirmed, key: nil,
                                            "no checkpoint covers events \(confirmed + 1) to \(end): they are taken as "
                                            + "they chain, a crash may have cut the command before its checkpoint"))
        }
        self.chain = chosen.map { batches[$0] }
        self.leaves = leaves
        self.checkpoints = kept.keys.sorted().map { kept[$0]! }
        self.findings = findings
    }

    /// Calls `body` with every line of the chain in order, numbered from 1, reading each batch again by its version
    /// and checking it still hashes to its name.
    package func forEachLine(_ body: (Int, [UInt8]) throws -> Void) throws {
        for batch in chain {
            let bytes = try fetch(batch.key, batch.versionID)
            guard S3LedgerArchive.sha256(bytes) == batch.sha256 else {
                throw AmanaError(S3Failure.integrity, "s3: \(batch.key) version \(batch.versionID) changed while it was read")
            }
            for (offset, line) in try Batch.lines(bytes).enumerated() { try body(batch.firstSeq + offset, line) }
        }
    }
}
