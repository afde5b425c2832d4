import Foundation

/// The organisation store's ledger as locked objects on S3 (spec/store.md 11): every batch of events an append
/// commits, and every checkpoint, is also an object under the store's prefix, written with Object Lock before the
/// database commits it. So the database is never the only copy of the truth: an organisation that loses its database
/// rebuilds the ledger, and from it the catalog, from these objects alone (``read(storeID:preferring:)``).
///
/// Keys (12-digit zero-padded decimal numbers, lowercase hex SHA-256 of the object's bytes):
/// - `PREFIX/ledger/events/<firstSeq>-<lastSeq>-<sha256>.jsonl`: the batch's lines, each followed by LF;
/// - `PREFIX/ledger/checkpoints/<size>-<sha256>.json`: the checkpoint line followed by LF.
///
/// The name carries the digest, so a reader picks, among the versions under a key, the one whose bytes hash to the
/// name: an overwrite (a new version with other bytes, even with the store's own credentials) is never read, and is
/// reported. Every PUT carries Content-MD5 and the policy's lock (as ``S3ObjectStore`` writes objects), and the
/// version written is read back by its id and compared before the append may commit.
///
/// Every call blocks its thread on the async client (``S3Blocking``); it must not be used from an async task.
package final class S3LedgerArchive {
    package let client: S3Client
    package let policy: RetentionPolicy

    /// The largest ledger object read: a batch is one command's events (kilobytes each), far below this.
    static let objectLimit: UInt64 = 64 << 20

    package init(client: S3Client, policy: RetentionPolicy) {
        self.client = client
        self.policy = policy
    }

    // MARK: Keys

    package var eventsPrefix: String { client.location.key("ledger/events/") }
    package var checkpointsPrefix: String { client.location.key("ledger/checkpoints/") }

    /// The bytes of a batch object: each line followed by LF.
    package static func batchBytes(_ lines: [[UInt8]]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            bytes += line
            bytes.append(0x0A)
        }
        return bytes
    }

    static func number(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// `<firstSeq>-<lastSeq>-<sha256>.jsonl`
    package static func batchName(firstSeq: Int, lastSeq: Int, sha256: String) -> String {
        "\(number(firstSeq))-\(number(lastSeq))-\(sha256).jsonl"
    }

    /// `<size>-<sha256>.json`
    package static func checkpointName(size: Int, sha256: String) -> String { "\(number(size))-\(sha256).json" }

    /// The numbers and digest a batch name carries; nil for any other name (then the object is not a batch).
    static func parseBatchName(_ name: String) -> (firstSeq: Int, lastSeq: Int, sha256: String)? {
        guard name.hasSuffix(".jsonl") else { return nil }
        let parts = name.dropLast(6).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let first = decimal12(parts[0]), let last = decimal12(parts[1]),
              first >= 1, last >= first, LocalObjectStore.isHex64(String(parts[2])) else { return nil }
        return (first, last, String(parts[2]))
    }

    static func parseCheckpointName(_ name: String) -> (size: Int, sha256: String)? {
        guard name.hasSuffix(".json") else { return nil }
        let parts = name.dropLast(5).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let size = decimal12(parts[0]), LocalObjectStore.isHex64(String(parts[1])) else {
            return nil
        }
        return (size, String(parts[1]))
    }

    private static func decimal12(_ text: Substring) -> Int? {
        guard text.utf8.count == 12, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    static func sha256(_ bytes: [UInt8]) -> String { MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex }

    // MARK: Writing

    /// Writes a batch of signed lines (numbered from `firstSeq`) as one locked object, reads it back by the version
    /// written and compares: only then may the append commit. Returns the key and version id.
    @discardableResult
    package func putBatch(firstSeq: Int, lines: [[UInt8]]) throws -> (key: String, versionID: String) {
        precondition(!lines.isEmpty, "a ledger batch holds at least one event")
        let bytes = S3LedgerArchive.batchBytes(lines)
        let name = S3LedgerArchive.batchName(firstSeq: firstSeq, lastSeq: firstSeq + lines.count - 1,
                                             sha256: S3LedgerArchive.sha256(bytes))
        let key = eventsPrefix + name
        return (key, try put(key: key, bytes: bytes))
    }

    /// Writes a checkpoint as one locked object, read back and compared as a batch is.
    @discardableResult
    package func putCheckpoint(_ checkpoint: StoreCheckpoint) throws -> (key: String, versionID: String) {
        let bytes = checkpoint.line + [0x0A]
        let key = checkpointsPrefix + S3LedgerArchive.checkpointName(size: checkpoint.size,
                                                                     sha256: S3LedgerArchive.sha256(bytes))
        return (key, try put(key: key, bytes: bytes))
    }

    private func put(key: String, bytes: [UInt8]) throws -> String {
        let lock = policy.objectLock()
        let client = self.client
        let put = try S3Blocking.run { try await client.putObject(key: key, bytes: bytes, lock: lock) }
        let stored = try fetch(key: key, versionID: put.versionID)
        guard stored == bytes else {
            throw AmanaError(S3Failure.integrity, "s3: the ledger object read back from \(key) version "
                             + "\(put.versionID) is not what was sent; nothing was appended",
                             hint: "run the command again; report the S3 server if this repeats")
        }
        return put.versionID
    }

    // MARK: Reading

    /// One version's bytes (at most ``objectLimit``).
    func fetch(key: String, versionID: String) throws -> [UInt8] {
        let collected = Collected()
        let limit = S3LedgerArchive.objectLimit
        _ = try client.getObjectBlocking(key: key, versionID: versionID) { chunk in
            guard UInt64(collected.bytes.count + chunk.count) <= limit else {
                throw AmanaError(.inputInvalid, "s3: \(key) is larger than a ledger object can be")
            }
            collected.bytes += chunk
        }
        return collected.bytes
    }

    /// Every version (and delete marker) under `prefix`, grouped by key in key order, each key's oldest first.
    func versionsByKey(prefix: String) throws -> [(key: String, versions: [S3ObjectVersion])] {
        let client = self.client
        let all = try S3Blocking.run { try await client.listObjectVersions(prefix: prefix) }
        var groups = [(key: String, versions: [S3ObjectVersion])]()
        for version in all {
            if groups.last?.key == version.key { groups[groups.count - 1].versions.append(version) } else {
                groups.append((version.key, [version]))
            }
        }
        // The listing gives each key's newest first.
        return groups.map { ($0.key, Array($0.versions.reversed())) }
    }

    /// Reads the ledger objects and rebuilds the one chain from them (``S3LedgerChain``). `preferring` answers the
    /// line a surviving database holds at a seq (nil when it holds none): at a fork, the batch that starts with that
    /// line is the committed one.
    package func read(storeID: String, preferring: (Int) throws -> [UInt8]? = { _ in nil }) throws -> S3LedgerChain {
        try S3LedgerArchive.rebuild(storeID: storeID, eventsPrefix: eventsPrefix, checkpointsPrefix: checkpointsPrefix,
                                    listing: versionsByKey(prefix:), fetch: fetch(key:versionID:), preferring: preferring)
    }

    /// The rebuild of ``read(storeID:preferring:)`` on any listing (every version under a prefix, grouped by key in key
    /// order, each key's oldest first) and any reader of one version's bytes: the bucket's, or a folder of test vectors
    /// (fixtures/vectors/s3ledger), so that the rules run without a server.
    static func rebuild(storeID: String, eventsPrefix: String, checkpointsPrefix: String,
                        listing: (_ prefix: String) throws -> [(key: String, versions: [S3ObjectVersion])],
                        fetch: @escaping (_ key: String, _ versionID: String) throws -> [UInt8],
                        preferring: (Int) throws -> [UInt8]?) throws -> S3LedgerChain {
        var findings = [S3LedgerFinding]()
        var batches = [S3LedgerChain.Batch]()
        for (key, versions) in try listing(eventsPrefix) {
            let name = String(key.dropFirst(eventsPrefix.count))
            guard let parsed = S3LedgerArchive.parseBatchName(name) else {
                findings.append(S3LedgerFinding(.malformed, key: key, "not a ledger batch's name: ignored"))
                continue
            }
            guard let picked = try pick(key: key, versions: versions, sha256: parsed.sha256,
                                         fetch: fetch, findings: &findings) else { continue }
            let (version, bytes) = picked
            do {
                batches.append(try S3LedgerChain.Batch(key: key, versionID: version, firstSeq: parsed.firstSeq,
                                                       lastSeq: parsed.lastSeq, sha256: parsed.sha256, bytes: bytes))
            } catch let error as AmanaError {
                findings.append(S3LedgerFinding(.malformed, key: key, error.reason + ": ignored"))
            }
        }
        var checkpoints = [(key: String, checkpoint: StoreCheckpoint)]()
        for (key, versions) in try listing(checkpointsPrefix) {
            let name = String(key.dropFirst(checkpointsPrefix.count))
            guard let parsed = S3LedgerArchive.parseCheckpointName(name) else {
                findings.append(S3LedgerFinding(.checkpointMismatch, key: key, "not a checkpoint's name: ignored"))
                continue
            }
            guard let bytes = try pick(key: key, versions: versions, sha256: parsed.sha256,
                                       fetch: fetch, findings: &findings)?.1 else { continue }
            guard bytes.last == 0x0A, let checkpoint = try? StoreCheckpoint(line: Array(bytes.dropLast())),
                  checkpoint.size == parsed.size else {
                findings.append(S3LedgerFinding(.checkpointMismatch, key: key, "not a checkpoint of its name's size: ignored"))
                continue
            }
            checkpoints.append((key, checkpoint))
        }
        return try S3LedgerChain(fetch: fetch, storeID: storeID, batches: batches, checkpoints: checkpoints,
                                 findings: findings, preferring: preferring)
    }

    /// The version under `key` whose bytes hash to its name, and those bytes; every other version with other bytes
    /// (an overwrite) and every delete marker is a finding. Nil (and a finding) when no version matches.
    private static func pick(key: String, versions: [S3ObjectVersion], sha256: String,
                             fetch: (_ key: String, _ versionID: String) throws -> [UInt8],
                             findings: inout [S3LedgerFinding]) throws -> (String, [UInt8])? {
        var chosen: (String, [UInt8])?
        for version in versions {
            if version.isDeleteMarker {
                findings.append(S3LedgerFinding(.overwrite, key: key, version: version.versionID,
                                                "a delete marker: it hides nothing from a read by version"))
                continue
            }
            if let size = version.size, size > S3LedgerArchive.objectLimit {
                findings.append(S3LedgerFinding(.overwrite, key: key, version: version.versionID,
                                                "a version too large to be a ledger object: ignored"))
                continue
            }
            let bytes = try fetch(key, version.versionID)
            if S3LedgerArchive.sha256(bytes) == sha256 {
                // A second version with the same bytes (a retried PUT) changes nothing.
                if chosen == nil { chosen = (version.versionID, bytes) }
            } else {
                findings.append(S3LedgerFinding(.overwrite, key: key, version: version.versionID,
                                                "a version whose bytes do not hash to the name: ignored"))
            }
        }
        if chosen == nil {
            findings.append(S3LedgerFinding(.malformed, key: key, "no version hashes to the name: ignored"))
        }
        return chosen
    }
}

/// Collects a small object's chunks, as the client's read hands them over.
private final class Collected {
    var bytes = [UInt8]()
}
