import Foundation
import PostgresNIO

/// An organisation store's back end (spec/store.md 2.1, "Back ends"): the catalog (``PostgresCatalog``) and the
/// signed ledger (``PostgresLedgerBackend``) in one PostgreSQL database shared by every station, the objects in the
/// ``ObjectStore`` it is given (S3 with Object Lock; a shared local folder in tests only), and the station's own
/// folder `DIR` for scratch.
///
/// - Writer exclusion: none across stations, and none held for a whole command. The database serialises appends
///   (each takes the store's advisory lock in its own transaction and signs from the head it reads there), and
///   uniqueness of uploads lives in the claims table (``uploadClaims(catalog:)``). The token a writer holds is a
///   SHARED lock on `DIR/tmp` (``StationScratchLock``), which keeps only this station's scratch sweep away from
///   this station's live writers.
/// - Catch-up: nothing to do. An event is indexed in the transaction that appends it, so the catalog never lags.
/// - Ledger objects: with a ``S3LedgerArchive``, every batch and checkpoint is also written to S3 as a locked object
///   before its commit, so a database that lost its ledger is restored from S3 alone (``rebuildCatalog(_:)``).
/// - Rebuild: the catalog tables are refilled from the ledger table in one transaction (restored first from the
///   ledger objects when the ledger table is empty).
final class PostgresStoreBackEnd: StoreBackEnd {
    let layout: StoreLayout
    let storeID: String
    let connection: PostgresConnectionConfig
    let objects: ObjectStore
    /// Where the ledger's batches and checkpoints are written as locked objects (nil: nowhere but the database).
    let ledgerArchive: S3LedgerArchive?
    /// This process's shared lock on `DIR/tmp`, once a writer took it.
    private weak var scratchLock: StationScratchLock?
    /// A connection for readers of the ledger (`store log`, `seal --store`), opened when first needed.
    private var readSession: PostgresSession?

    init(layout: StoreLayout, storeID: String, connection: PostgresConnectionConfig, objects: ObjectStore,
         ledgerArchive: S3LedgerArchive? = nil) {
        self.layout = layout
        self.storeID = storeID
        self.connection = connection
        self.objects = objects
        self.ledgerArchive = ledgerArchive
    }

    deinit { try? readSession?.close() }

    /// Where the password was found, said in messages instead of it.
    static func passwordSource(_ credentials: StoreCredentials,
                               environment: [String: String] = ProcessInfo.processInfo.environment)
        -> PostgresConnectionConfig.PasswordSource {
        if let value = environment["PGPASSWORD"], !value.isEmpty { return .environment }
        return credentials.postgresPassword != nil ? .credentialsFile : .pgpass
    }

    func openCatalog() throws -> Catalog {
        try PostgresCatalog(session: try PostgresSession(config: connection))
    }

    /// A shared lock on `DIR/tmp` only (see the type): it never waits for another writer, whatever `wait` says.
    func writerExclusion(wait: Bool) throws -> StoreWriterExclusion? {
        if let scratchLock { return scratchLock }
        let lock = try StationScratchLock(folder: layout.temporaryFolder)
        scratchLock = lock
        return lock
    }

    /// The ledger on the catalog's own connection, so that an append and its indexing are one transaction.
    func openLedger(indexingInto catalog: Catalog) throws -> StoreLedgerBackend {
        guard let catalog = catalog as? PostgresCatalog else {
            throw AmanaError(.internalFailure, "an organisation store's ledger indexes only into its own catalog")
        }
        let ledger = try PostgresLedger(session: catalog.session, storeID: storeID)
        ledger.archive = ledgerArchive
        return PostgresLedgerBackend(ledger: ledger)
    }

    /// Nothing: every append indexes its events in its own transaction.
    func catchUp(_ catalog: Catalog, ledger: StoreLedgerBackend?) throws {}

    private func reader() throws -> PostgresLedger {
        if readSession == nil { readSession = try PostgresSession(config: connection) }
        return try PostgresLedger(session: readSession!, storeID: storeID)
    }

    func forEachLedgerLine(_ body: (Int, [UInt8]) throws -> Void) throws {
        try reader().forEachLine(body)
    }

    func auditLedger(storeID: String, each: (LedgerAudit.Entry) -> Void) throws -> [LedgerAudit.CheckpointStatus] {
        let ledger = try reader()
        return try LedgerAudit.run(storeID: storeID, lines: { try ledger.forEachLine($0) },
                                   checkpoints: { try ledger.checkpoints() }, each: each)
    }

    /// Sweeps `DIR/tmp` only when no other process of this station is at work (``StationScratchLock``); the
    /// objects' own scratch (an S3 multipart upload) is the object store's business.
    func sweepScratch() -> StoreTemporaryFiles.Summary {
        guard let lock = scratchLock ?? (try? StationScratchLock(folder: layout.temporaryFolder)) else {
            return StoreTemporaryFiles.Summary()
        }
        return withExtendedLifetime(lock) {
            lock.exclusively {
                abortAbandonedUploads()
                return StoreTemporaryFiles.sweep(layout: layout)
            } ?? StoreTemporaryFiles.Summary()
        }
    }

    /// How old an incomplete multipart upload must be before a sweep aborts it (a slow field link may take hours).
    nonisolated(unsafe) static var abandonedUploadAge: TimeInterval = 86_400

    /// Aborts the incomplete uploads under `objects/` of commands killed mid-upload whose content no one stored
    /// since (a rerun of the same content aborts its own key's at once): those older than ``abandonedUploadAge``
    /// whose content no station claims. Best effort: an unreachable server or database leaves them for next time.
    @discardableResult
    func abortAbandonedUploads() -> Int {
        guard let s3 = objects as? S3ObjectStore, let session = try? PostgresSession(config: connection) else { return 0 }
        defer { try? session.close() }
        let cutoff = Date().addingTimeInterval(-PostgresStoreBackEnd.abandonedUploadAge)
        return (try? s3.abortIncompleteUploads(initiatedBefore: cutoff) { sha256 in
            try !session.query("SELECT 1 FROM claims WHERE sha256 = $1", values: [.text(sha256)]).isEmpty
        }) ?? 0
    }

    /// The catalog tables are emptied and refilled by `index` in ONE transaction that holds the ledger's append
    /// lock: other stations see the old catalog until it commits, and no append interleaves. With ledger objects on
    /// S3, they are read first (spec/store.md 11.4): an empty ledger table is restored from them (events and
    /// checkpoints, in the same transaction); a ledger the database still holds is compared with them, and left as
    /// it is.
    func rebuildCatalog(_ index: (Catalog, Int, [UInt8]) throws -> Void) throws -> StoreLedgerRestore? {
        let catalog = try PostgresCatalog(session: try PostgresSession(config: connection))
        defer { try? catalog.close() }
        // Migrations first (their own transaction): a new, empty database gets its tables.
        let ledger = try PostgresLedger(session: catalog.session, storeID: storeID)
        return try catalog.session.transaction {
            try ledger.lockForRebuild()
            let restore = try ledgerArchive.map { try restoreLedger(ledger, from: $0) }
            // Children first: the foreign keys point at ledger_events.
            for table in CatalogSchema.tables.reversed() { try catalog.session.query("DELETE FROM \(table.name)") }
            try ledger.forEachLine { seq, line in try index(catalog, seq, line) }
            return restore
        }
    }

    /// Reads the ledger objects and compares them with the ledger table: every event the table holds must be in the
    /// chain. Events of the chain past the table's head are restored when the table is empty, or when a checkpoint
    /// on S3 covers some of them (a database brought back from an old backup lost committed events); otherwise they
    /// are orphans (commits that failed after their batch was written). Checkpoints the table lacks are restored.
    private func restoreLedger(_ ledger: PostgresLedger, from archive: S3LedgerArchive) throws -> StoreLedgerRestore {
        let held = try ledger.count()
        let chain = try archive.read(storeID: storeID) { held > 0 ? try ledger.line(seq: $0) : nil }
        var findings = chain.findings
        var restored = 0, checkpoints = 0
        var differ: Int?
        try ledger.forEachLine { seq, line in
            if differ == nil, seq > chain.count || chain.leaves[seq - 1] != MerkleTree.leafHash(line) { differ = seq }
        }
        if let differ {
            findings.append(S3LedgerFinding(.missing, key: nil,
                                            "the database holds event \(differ), which the ledger objects on S3 lack "
                                            + "or hold otherwise; the database's ledger is left as it is"))
            return StoreLedgerRestore(restoredEvents: 0, restoredCheckpoints: 0, chainEvents: chain.count,
                                      findings: findings)
        }
        let confirmed = chain.checkpoints.map(\.size).max() ?? 0
        if chain.count > held {
            if held == 0 || confirmed > held {
                try chain.forEachLine { seq, line in
                    guard seq > held else { return }
                    try ledger.insertRestored(seq: seq, line: line)
                    restored += 1
                }
            } else {
                findings.append(S3LedgerFinding(.orphan, key: nil,
                                                "events \(held + 1) to \(chain.count) on S3 are past the database's "
                                                + "head and no checkpoint covers them (commits that failed after their "
                                                + "batch was written): ignored"))
            }
        }
        let present = Set(try ledger.checkpoints().map(\.size))
        let end = held + restored
        for checkpoint in chain.checkpoints where !present.contains(checkpoint.size) && checkpoint.size <= end {
            try ledger.insertRestored(checkpoint: checkpoint)
            checkpoints += 1
        }
        return StoreLedgerRestore(restoredEvents: restored, restoredCheckpoints: checkpoints, chainEvents: chain.count,
                                  findings: findings)
    }

    func uploadClaims(catalog: Catalog) throws -> StoreUploadClaims? {
        guard let catalog = catalog as? PostgresCatalog else { return nil }
        return try PostgresUploadClaims(session: catalog.session, config: connection)
    }
}
