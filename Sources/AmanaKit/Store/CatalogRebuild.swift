/// What `store rebuild-catalog` did (``EvidenceStore/rebuildCatalog(_:)``).
package struct CatalogRebuild: Sendable {
    /// Ledger events replayed into the new catalog.
    package var events: Int
    /// Items in the new catalog.
    package var objects: Int
    /// SHA-256 of each `new` object the ledger records and the object store lacks (at its recorded version).
    package var missing: [String]
    /// SHA-256 of each derived record an event names and the object store lacks.
    package var missingRecords: [String]
    /// What the ledger's second copy held and what was restored from it (organisation stores); nil for a local store.
    package var ledger: StoreLedgerRestore?
}
