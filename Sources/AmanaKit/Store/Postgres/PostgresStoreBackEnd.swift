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
/// - Rebuild: the catalog tables are refilled from the ledger table in one transaction.
final class PostgresStoreBackEnd: StoreBackEnd {
    let layout: StoreLayout
    let storeID: String
    let connection: PostgresConnectionConfig
    let objects: ObjectStore
    /// This process's shared lock on `DIR/tmp`, once a writer took it.
    private weak var scratchLock: StationScratchLock?
    /// A connection for readers of the ledger (`store log`, `seal --store`), opened when first needed.
    private var readSession: PostgresSession?

    init(layout: StoreLayout, storeID: String, connection: PostgresConnectionConfig, objects: ObjectStore) {
        self.layout = layout
        self.storeID = storeID
        self.connection = connection
        self.objects = objects
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
        return PostgresLedgerBackend(ledger: try PostgresLedger(session: catalog.session, storeID: storeID))
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
            lock.exclusively { StoreTemporaryFiles.sweep(layout: layout) } ?? StoreTemporaryFiles.Summary()
        }
    }

    /// The catalog tables are emptied and refilled by `replay` in ONE transaction that holds the ledger's append
    /// lock: other stations see the old catalog until it commits, and no append interleaves.
    func rebuildCatalog(_ replay: (Catalog) throws -> Void) throws {
        let catalog = try PostgresCatalog(session: try PostgresSession(config: connection))
        defer { try? catalog.close() }
        let session = catalog.session
        try session.transaction {
            var lock = PostgresBindings()
            lock.append(PostgresLedger.lockKey(storeID: storeID))
            try session.query("SELECT pg_advisory_xact_lock($1)", lock)
            // Children first: the foreign keys point at ledger_events.
            for table in CatalogSchema.tables.reversed() { try session.query("DELETE FROM \(table.name)") }
            try replay(catalog)
        }
    }

    func uploadClaims(catalog: Catalog) throws -> StoreUploadClaims? {
        guard let catalog = catalog as? PostgresCatalog else { return nil }
        return try PostgresUploadClaims(session: catalog.session, config: connection)
    }
}
