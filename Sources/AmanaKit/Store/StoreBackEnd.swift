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

    /// Recreates the catalog from the ledger alone: `replay` fills a fresh, empty catalog, which replaces the old one
    /// only once it is complete. Called only by a holder of the writer exclusion.
    func rebuildCatalog(_ replay: (Catalog) throws -> Void) throws
}

/// Held by a writer for as long as its exclusion lasts; released when it goes away.
protocol StoreWriterExclusion: AnyObject {}

extension StoreLock: StoreWriterExclusion {}

/// The factory: one case per kind of back end a configuration can name.
enum StoreBackEnds {
    static func make(config: StoreConfig, layout: StoreLayout) throws -> StoreBackEnd {
        switch config.backEnd {
        case .local:
            return LocalStoreBackEnd(layout: layout, storeID: config.storeID)
        case .organisation:
            throw AmanaError(.inputInvalid,
                             "\(layout.configPath) names an organisation store (PostgreSQL and S3), which this version of amana cannot open yet",
                             hint: "use a local store folder ('amana store init DIR --key K.key')")
        }
    }
}
