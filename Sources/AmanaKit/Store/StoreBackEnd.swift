/// The back ends of one store as its configuration names them (spec/store.md, "Back ends"): where the catalog, the
/// objects and the ledger live, and how writers are kept apart.
///
/// ``EvidenceStore`` is built from a ``StoreConfig`` through ``StoreBackEnds/make(config:layout:)`` and then talks only
/// to these protocols, so an organisation store (PostgreSQL and S3) is one more conforming type and one more case of
/// the factory, not a rewrite of the Ingester, the scrubber or `seal --store`.
protocol StoreBackEnd: AnyObject {
    var objects: ObjectStore { get }

    /// Opens the catalog (creating it when new).
    func openCatalog() throws -> Catalog

    /// What keeps writers apart for a whole command. A local store takes its `flock` (waiting for another writer, or
    /// with `wait: false` answering nil when one holds it). A back end that serialises each append in its database
    /// returns a token that holds nothing: it MUST NOT hold a lock for a whole command.
    func writerExclusion(wait: Bool) throws -> StoreWriterExclusion?

    /// Opens the ledger for appending (repairing what a crash can leave), indexing what it appends in `catalog`.
    func openLedger(indexingInto catalog: Catalog) throws -> StoreLedgerBackend

    /// Indexes the ledger events `catalog` lacks (a crash between an append and its index). `ledger` is the one a
    /// writer opened, nil for a reader (which catches up only when no writer is at work).
    func catchUp(_ catalog: Catalog, ledger: StoreLedgerBackend?) throws

    /// Calls `body` with every complete ledger line in order, numbered from 1, as a reader sees it (nothing repaired).
    func forEachLedgerLine(_ body: (_ seq: Int, _ line: [UInt8]) throws -> Void) throws

    /// Audits the ledger line by line as `store log` and `seal --store` judge it.
    func auditLedger(storeID: String, each: (LedgerAudit.Entry) -> Void) throws -> [LedgerAudit.CheckpointStatus]

    /// Removes what killed commands left in local scratch and no re-run can use. Called only by a holder of the
    /// writer exclusion.
    func sweepScratch() -> StoreTemporaryFiles.Summary

    /// Recreates the catalog from the ledger alone: `index` is called with a fresh, empty catalog and every ledger
    /// line in order, and that catalog replaces the old one only once it is complete. A back end that keeps a second
    /// copy of the ledger (an organisation store's ledger objects on S3) first restores the ledger from it when the
    /// ledger is gone, or compares the two, and says what it did; nil for one that keeps none. Called only by a holder
    /// of the writer exclusion.
    func rebuildCatalog(_ index: (Catalog, _ seq: Int, _ line: [UInt8]) throws -> Void) throws -> StoreLedgerRestore?

    /// Where uniqueness of an upload lives when several stations write at once (``StoreUploadClaims``), on the
    /// connection of `catalog`; nil for a back end whose writer exclusion already keeps writers apart (a local store).
    func uploadClaims(catalog: Catalog) throws -> StoreUploadClaims?
}

/// Claims on content about to be uploaded, so that content ingested at once by several stations is stored once
/// (spec/store.md, "Claims"). The Ingester claims a SHA-256 once its digests are known and before anything is
/// placed under its name: `.stored` means another station recorded it (a duplicate); `.won` means this station
/// uploads, appends its event, then releases; `.lost` means another station is uploading: wait until the object is
/// recorded, or until the claim is stale and can be taken over.
protocol StoreUploadClaims: AnyObject {
    /// How old (seconds) another station's heartbeat must be before its claim may be taken over.
    var staleAfter: Int { get }
    func claim(sha256: String) throws -> StoreClaimOutcome
    /// Takes another station's claim over when its heartbeat is older than ``staleAfter``: true when this station
    /// now holds it.
    func takeOverIfStale(sha256: String) throws -> Bool
    /// Drops this station's claim (after its event is committed, or when it gives up).
    func release(sha256: String) throws
    /// Keeps refreshing the claim's heartbeat until it is released, so a long upload is not taken for a dead one.
    func beginHeartbeat(sha256: String)
}

/// What a claim answered.
enum StoreClaimOutcome: Equatable, Sendable {
    /// This station holds the claim and uploads.
    case won
    /// Another station holds it.
    case lost(holder: String)
    /// The content is already recorded: nothing to upload, the acquisition is a duplicate.
    case stored
}

/// Held by a writer for as long as its exclusion lasts; released when it goes away.
protocol StoreWriterExclusion: AnyObject {}

extension StoreLock: StoreWriterExclusion {}

/// The factory: one case per kind of back end a configuration can name.
enum StoreBackEnds {
    /// Builds an organisation store's objects from its configuration and credentials (the S3 object store).
    typealias OrganisationObjects = (OrganisationBackEnd, StoreCredentials, StoreLayout) throws -> ObjectStore

    static func make(config: StoreConfig, layout: StoreLayout) throws -> StoreBackEnd {
        switch config.backEnd {
        case .local:
            return LocalStoreBackEnd(layout: layout, storeID: config.storeID)
        case .organisation(let organisation):
            let credentials = try StoreCredentials.load(file: organisation.credentialsFile)
            // S3: one client for the objects and the ledger's locked copies, both under the configured prefix.
            let client = try S3ClientPool.client(for: organisation, credentials: credentials)
            return try make(organisation, config: config, layout: layout, credentials: credentials,
                            objects: { organisation, _, _ in
                                S3ObjectStore(client: client, retention: organisation.retention)
                            },
                            ledgerArchive: S3LedgerArchive(client: client, policy: organisation.retention))
        }
    }

    /// How to reach the organisation's PostgreSQL database, with the password the credentials give for it.
    static func connection(_ organisation: OrganisationBackEnd, credentials: StoreCredentials) throws
        -> PostgresConnectionConfig {
        let location = organisation.catalog
        let password = try credentials.postgresPassword(for: location)
        // The whole location, its sslmode included: a store.json that asks for verify-full gets it.
        return PostgresConnectionConfig(location: location, password: password,
                                        passwordSource: PostgresStoreBackEnd.passwordSource(credentials))
    }

    /// An organisation store's back end: the catalog and ledger in the PostgreSQL database the configuration names
    /// (password from the credentials), the objects from `objects`, the ledger's locked copies in `ledgerArchive`
    /// (S3). The one place a ``PostgresStoreBackEnd`` is made.
    static func make(_ organisation: OrganisationBackEnd, config: StoreConfig, layout: StoreLayout,
                     credentials: StoreCredentials, objects: OrganisationObjects,
                     ledgerArchive: S3LedgerArchive) throws -> StoreBackEnd {
        PostgresStoreBackEnd(layout: layout, storeID: config.storeID,
                             connection: try connection(organisation, credentials: credentials),
                             objects: try objects(organisation, credentials, layout), ledgerArchive: ledgerArchive)
    }
}
