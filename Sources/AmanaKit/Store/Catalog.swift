/// The store's catalog: an index over the ledger, for fast answers to "what is stored, from where, for which case".
///
/// The catalog is never the truth. Every row comes from a ledger event through ``index(seq:event:line:)``, so the
/// catalog can be deleted and rebuilt (`amana store rebuild-catalog`) and must come out the same, row by row. The
/// embedded implementation is ``SQLiteCatalog``; the organisation-wide one is ``PostgresCatalog``. Both build their
/// tables and rows from ``CatalogSchema``, and one conformance suite runs against both
/// (Tests/AmanaKitTests/Catalog), so they answer alike.
///
/// Every method is synchronous and called from ordinary threads (never from a SwiftNIO event loop), one thread at a
/// time per catalog object: a catalog is not `Sendable`; concurrent writers each open their own.
package protocol Catalog: AnyObject {
    /// The highest ledger sequence number indexed so far (0 for an empty catalog).
    func indexedThrough() throws -> Int
    /// Indexes one ledger event, all its rows in one transaction. Events must come in ledger order.
    func index(seq: Int, event: CustodyEvent, line: [UInt8]) throws
    /// Indexes several consecutive ledger events in one transaction (a batch appended with one write).
    func index(batch: [(seq: Int, event: CustodyEvent, line: [UInt8])]) throws
    /// The object with this SHA-256 (lowercase hex), if stored.
    func item(sha256: String) throws -> StoredItem?
    /// Every object, or those acquired for `caseID`, ordered by first acquisition.
    func items(caseID: String?) throws -> [StoredItem]
    /// Whether any stored object has this size (a cheap test before hashing a source twice).
    func hasItem(size: UInt64) throws -> Bool
    /// Every acquisition of an object, in ledger order.
    func acquisitions(sha256: String) throws -> [AcquisitionRecord]
    /// The latest acquisition whose source had exactly this identity (device and inode numbers, size, mtime, ctime,
    /// path and volume UUID), if any, with its object's first acquisition: what the re-run shortcut trusts
    /// (spec/store.md, "Re-run shortcut") and what it reports.
    func acquisition(sameFileAs source: SourceRecord) throws -> (known: AcquisitionRecord, first: AcquisitionRecord)?
    /// The derived records (capture metadata) kept for an object, in ledger order.
    func derivedRecords(sha256: String) throws -> [DerivedRecord]
    /// Every acquisition whose source path is `path`, in ledger order.
    func acquisitions(sourcePath: String) throws -> [AcquisitionRecord]
    /// Every table's rows as text, ordered by key: what `rebuild-catalog` and its test compare.
    func snapshot() throws -> [String: [[String]]]
    /// Releases the catalog's resources (SQLite: checkpoints the WAL into the main file; PostgreSQL: closes the
    /// connection). The catalog is not used afterwards.
    func close() throws
}

extension Catalog {
    /// Indexes every ledger event the catalog has not seen yet: after a crash between appending an event and
    /// indexing it, the catalog catches up on the next open. Reads the ledger through its back end, whichever it is.
    package func catchUp(from ledger: StoreLedgerBackend) throws {
        try catchUp(lines: { try ledger.forEachLine($0) })
    }

    /// The same, from any reader of the ledger's complete lines in order, numbered from 1 (a reader that opens no
    /// ledger for writing, so repairs nothing, passes ``StoreBackEnd/forEachLedgerLine(_:)``).
    package func catchUp(lines: ((Int, [UInt8]) throws -> Void) throws -> Void) throws {
        let through = try indexedThrough()
        // Only the events past the catalog are parsed: reopening a large store must not re-parse every event.
        try lines { seq, line in
            if seq > through { try index(seq: seq, event: try CustodyEvent(line: line), line: line) }
        }
    }
}
