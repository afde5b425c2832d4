import Crypto
import Foundation
import PostgresNIO

/// The organisation store's ledger, in PostgreSQL: the same signed, chained ``CustodyEvent`` lines as
/// `ledger/events.jsonl` (``StoreLedger``), one row each in `store_ledger(seq, line)`, and the same signed
/// ``StoreCheckpoint`` lines in `store_checkpoints(size, line)`. A ledger read from here verifies with the code that
/// verifies a local store's (``LedgerAudit``), because the lines are byte for byte what ``StoreLedger`` would write.
///
/// Appends from every station are serialised in the database, never with a file lock: one transaction takes
/// `pg_advisory_xact_lock(K)` (K from the store ID, ``lockKey(storeID:)``), reads the head, lets the caller sign the
/// events chained from it, runs the caller's `beforeCommit` hook, inserts the rows and indexes them into the catalog
/// tables, and commits. The lock is released by the commit or the rollback, so a station that dies mid-append holds
/// nothing: its connection ends, the server rolls the transaction back, the next station gets the lock.
package final class PostgresLedger {
    package let session: PostgresSession
    package let storeID: String
    /// The advisory-lock key every append to this store takes.
    package let lockKey: Int64
    /// How long an append waits for the lock before giving up with a clear error: a station that hangs (alive, its
    /// connection open) while holding it must not stop every other station silently. A dead one holds nothing.
    package var lockTimeoutSeconds = 120
    /// Where each committed batch and checkpoint is also written, as a locked object, before the commit (an
    /// organisation store's ledger objects on S3, ``S3LedgerArchive``); nil writes nowhere else (tests of the
    /// database alone).
    package var archive: S3LedgerArchive?

    /// Opens the ledger on `session`, migrating the database first (or refusing one from a newer Amana).
    package init(session: PostgresSession, storeID: String) throws {
        self.session = session
        self.storeID = storeID
        lockKey = PostgresLedger.lockKey(storeID: storeID)
        try PostgresSchema.migrate(session)
    }

    /// K: the first 8 bytes of SHA-256("amana-store-ledger-lock-v1\n" + store ID), as a big-endian signed 64-bit
    /// integer. Stores that share a database server get different keys; the domain prefix keeps the key apart from
    /// any other use of the store ID's hash.
    package static func lockKey(storeID: String) -> Int64 {
        let digest = Array(SHA256.hash(data: Array("amana-store-ledger-lock-v1\n".utf8) + Array(storeID.utf8)))
        return Int64(bitPattern: digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// The `prev` of the first event: binds the ledger to its store (as ``StoreLedger/genesis``).
    package var genesis: String { CustodyLog.genesis(bundleID: StoreCheckpoint.origin(storeID: storeID)) }

    /// One event to sign and append: the same type every ledger back end takes (``StoreLedger/Pending``).
    package typealias Pending = StoreLedger.Pending

    /// Signs `batch` chained after `head`, exactly as ``StoreLedger`` signs a batch: the lines a `build` returns.
    package static func sign(_ batch: [Pending], after head: (count: Int, lastLine: [UInt8]?), storeID: String,
                             key: SecretKey, role: String?, time: Date = Date()) throws -> [[UInt8]] {
        let actor = CustodyEvent.Actor(keyID: key.keyID.description, publicKey: key.publicKey.base64,
                                       name: key.publicKey.name, organization: key.publicKey.organization, role: role)
        let genesis = CustodyLog.genesis(bundleID: StoreCheckpoint.origin(storeID: storeID))
        var previous = head.lastLine
        var lines = [[UInt8]]()
        for (offset, pending) in batch.enumerated() {
            var event = CustodyEvent(seq: head.count + 1 + offset, time: UTCTime.format(time), actor: actor,
                                     action: pending.action, items: pending.items, details: pending.details,
                                     prev: previous.map(CustodyLog.chainValue(after:)) ?? genesis)
            try event.sign(with: key)
            previous = event.line
            lines.append(event.line)
        }
        return lines
    }

    /// Appends the lines `build` makes from the head, in one transaction (see the type's documentation).
    ///
    /// `build` gets the ledger's event count and last line, and returns signed lines numbered and chained from
    /// them. They are checked before anything is written (numbering, chain, signature): a batch that would not
    /// verify is refused, not stored. With the lock held and the lines final, the batch is written to ``archive``
    /// (and read back) first, then `beforeCommit` runs; if either throws, nothing is committed, and a batch already
    /// written to the archive is an orphan that a rebuild ignores (spec/store.md 11.3). With `index`, the events'
    /// catalog rows are written in the same transaction. On any error the transaction is rolled back and the error thrown.
    @discardableResult
    package func append(build: ((count: Int, lastLine: [UInt8]?)) throws -> [[UInt8]],
                        beforeCommit: ([[UInt8]]) throws -> Void = { _ in },
                        index: Bool = true) throws -> [(seq: Int, event: CustodyEvent, line: [UInt8])] {
        try session.transaction {
            try takeLock()
            let head = try self.head()
            let lines = try build(head)
            var entries = [(seq: Int, event: CustodyEvent, line: [UInt8])]()
            var expectedPrev = head.lastLine.map(CustodyLog.chainValue(after:)) ?? genesis
            for (offset, line) in lines.enumerated() {
                let seq = head.count + 1 + offset
                let event = try CustodyEvent(line: line)
                guard event.seq == seq, event.prev == expectedPrev, LedgerAudit.signatureValid(event) else {
                    throw AmanaError(.internalFailure,
                                     "a ledger batch does not follow the ledger's head (event \(seq)): nothing was appended")
                }
                expectedPrev = CustodyLog.chainValue(after: line)
                entries.append((seq, event, line))
            }
            guard !entries.isEmpty else { return entries }
            try archive?.putBatch(firstSeq: head.count + 1, lines: lines)
            try beforeCommit(lines)
            for entry in entries {
                var binds = PostgresBindings()
                binds.append(Int64(entry.seq))
                binds.append(ByteBuffer(bytes: entry.line))
                try session.query("INSERT INTO store_ledger (seq, line) VALUES ($1, $2)", binds)
                if index { try PostgresCatalog.insert(session, seq: entry.seq, event: entry.event, line: entry.line) }
            }
            return entries
        }
    }

    /// Signs and appends `batch` (``sign(_:after:storeID:key:role:time:)`` inside ``append(build:beforeCommit:index:)``).
    @discardableResult
    package func append(batch: [Pending], key: SecretKey, role: String?, time: Date = Date(),
                        beforeCommit: ([[UInt8]]) throws -> Void = { _ in },
                        index: Bool = true) throws -> [(seq: Int, event: CustodyEvent, line: [UInt8])] {
        try append(build: { head in
            try PostgresLedger.sign(batch, after: head, storeID: storeID, key: key, role: role, time: time)
        }, beforeCommit: beforeCommit, index: index)
    }

    /// Takes the store's append lock for the current transaction, waiting at most ``lockTimeoutSeconds``.
    private func takeLock() throws {
        // SET LOCAL takes no parameters; the value is an integer this type formats.
        try session.query("SET LOCAL lock_timeout = '\(max(1, lockTimeoutSeconds))s'")
        var lock = PostgresBindings()
        lock.append(lockKey)
        do {
            try session.query("SELECT pg_advisory_xact_lock($1)", lock)
        } catch let error as AmanaError where error.reason.contains("(sqlstate 55P03)") {
            throw AmanaError(.outputFailed,
                             "another station has held the store's ledger lock for \(lockTimeoutSeconds) s: nothing was appended",
                             hint: "run the command again; if it keeps failing, look for a hung amana process on the other stations")
        }
        try session.query("SET LOCAL lock_timeout = 0")
    }

    /// The highest seq and its line (0 and nil for an empty ledger), as the database holds them now.
    package func head() throws -> (count: Int, lastLine: [UInt8]?) {
        guard let row = try session.query("SELECT seq, line FROM store_ledger ORDER BY seq DESC LIMIT 1").first else {
            return (0, nil)
        }
        let (seq, line) = try row.decode((Int64, ByteBuffer).self)
        return (Int(seq), Array(line.readableBytesView))
    }

    /// How many events the ledger holds.
    package func count() throws -> Int {
        Int(try session.query("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM store_ledger").first?.decode(Int64.self) ?? 0)
    }

    /// Calls `body` with each line's seq and bytes in order, a page at a time, so memory stays flat however long
    /// the ledger is. Each page is its own statement: lines are never changed once committed, so pages join up.
    package func forEachLine(pageSize: Int = 1000, _ body: (Int, [UInt8]) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            var binds = PostgresBindings()
            binds.append(after)
            binds.append(Int64(pageSize))
            let rows = try session.query("SELECT seq, line FROM store_ledger WHERE seq > $1 ORDER BY seq LIMIT $2", binds)
            for row in rows {
                let (seq, line) = try row.decode((Int64, ByteBuffer).self)
                try body(Int(seq), Array(line.readableBytesView))
                after = seq
            }
            if rows.count < pageSize { return }
        }
    }

    /// The RFC 9162 leaf hashes of the first `size` lines (all when nil), SHA-256(0x00 || line), computed by the
    /// server so that only 32 bytes per event cross the network.
    package func leafHashes(size: Int? = nil) throws -> [[UInt8]] {
        var binds = PostgresBindings()
        binds.append(Int64(size ?? Int(Int64.max)))
        return try session.query("""
            SELECT sha256('\\x00'::bytea || line) FROM store_ledger WHERE seq <= $1 ORDER BY seq
            """, binds).map { Array(try $0.decode(ByteBuffer.self).readableBytesView) }
    }

    /// The RFC 9162 root of the whole ledger.
    package func root() throws -> [UInt8] { MerkleTree.root(leafHashes: try leafHashes()) }

    /// Signs a checkpoint over the whole ledger and stores it, first as a locked object in ``archive``; if one of
    /// that size exists (another station's, over the same lines), that one is returned. Holds the append lock, so the
    /// size and root agree.
    @discardableResult
    package func checkpoint(key: SecretKey, time: Date = Date()) throws -> StoreCheckpoint {
        try session.transaction {
            try takeLock()
            let size = try count()
            var sizeBind = PostgresBindings()
            sizeBind.append(Int64(size))
            if let existing = try session.query("SELECT line FROM store_checkpoints WHERE size = $1", sizeBind).first {
                return try StoreCheckpoint(line: Array(existing.decode(ByteBuffer.self).readableBytesView))
            }
            var checkpoint = StoreCheckpoint(origin: StoreCheckpoint.origin(storeID: storeID), size: size,
                                             root: Hex.encode(MerkleTree.root(leafHashes: try leafHashes(size: size))),
                                             time: UTCTime.format(time), keyID: key.keyID.description,
                                             publicKey: key.publicKey.base64)
            try checkpoint.sign(with: key)
            try archive?.putCheckpoint(checkpoint)
            var binds = PostgresBindings()
            binds.append(Int64(size))
            binds.append(ByteBuffer(bytes: checkpoint.line))
            try session.query("INSERT INTO store_checkpoints (size, line) VALUES ($1, $2)", binds)
            return checkpoint
        }
    }

    /// Writes a line restored from the archive (``S3LedgerChain``) in the caller's transaction (a rebuild's, which
    /// holds the append lock and indexes the catalog afterwards). The line was checked there: numbered, chained and
    /// signed.
    package func insertRestored(seq: Int, line: [UInt8]) throws {
        var binds = PostgresBindings()
        binds.append(Int64(seq))
        binds.append(ByteBuffer(bytes: line))
        try session.query("INSERT INTO store_ledger (seq, line) VALUES ($1, $2)", binds)
    }

    /// Writes a checkpoint restored from the archive, in the caller's transaction.
    package func insertRestored(checkpoint: StoreCheckpoint) throws {
        var binds = PostgresBindings()
        binds.append(Int64(checkpoint.size))
        binds.append(ByteBuffer(bytes: checkpoint.line))
        try session.query("INSERT INTO store_checkpoints (size, line) VALUES ($1, $2)", binds)
    }

    /// The line at `seq`, nil when the ledger has none there.
    package func line(seq: Int) throws -> [UInt8]? {
        var binds = PostgresBindings()
        binds.append(Int64(seq))
        return try session.query("SELECT line FROM store_ledger WHERE seq = $1", binds).first
            .map { Array(try $0.decode(ByteBuffer.self).readableBytesView) }
    }

    /// Takes the store's append lock in the caller's transaction (a rebuild's), waiting as an append does.
    package func lockForRebuild() throws { try takeLock() }

    /// Every checkpoint, by size.
    package func checkpoints() throws -> [StoreCheckpoint] {
        try session.query("SELECT line FROM store_checkpoints ORDER BY size").map {
            try StoreCheckpoint(line: Array($0.decode(ByteBuffer.self).readableBytesView))
        }
    }
}
