import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A store that is one folder on this machine (spec/store.md, "Layout"): the SQLite catalog, the objects and records
/// in ``LocalObjectStore``, the ledger in ``StoreLedger``'s files, and writers kept apart by a `flock` on `lock` held
/// for their whole command (``StoreLock``).
final class LocalStoreBackEnd: StoreBackEnd {
    let layout: StoreLayout
    let storeID: String
    let objects: ObjectStore

    init(layout: StoreLayout, storeID: String) {
        self.layout = layout
        self.storeID = storeID
        self.objects = LocalObjectStore(layout: layout)
    }

    func openCatalog() throws -> Catalog {
        try SQLiteCatalog(path: layout.catalogPath)
    }

    func writerExclusion(wait: Bool) throws -> StoreWriterExclusion? {
        wait ? try StoreLock(layout: layout) : StoreLock.tryLock(layout: layout)
    }

    func openLedger(indexingInto catalog: Catalog) throws -> StoreLedgerBackend {
        let ledger = try StoreLedger(layout: layout, storeID: storeID, repair: true)
        ledger.catalog = catalog
        return ledger
    }

    func catchUp(_ catalog: Catalog, ledger: StoreLedgerBackend?) throws {
        if let ledger {
            // The writer has just read the ledger: read it again only when the catalog lacks some of its events.
            if try catalog.indexedThrough() < ledger.head().count { try catalog.catchUp(from: ledger) }
        } else {
            try catalog.catchUp(lines: { try forEachLedgerLine($0) })
        }
    }

    func forEachLedgerLine(_ body: (Int, [UInt8]) throws -> Void) throws {
        var seq = 0
        try StoreLedger.forEachLine(path: layout.ledgerPath) { line, _ in
            seq += 1
            try body(seq, line)
        }
    }

    func auditLedger(storeID: String, each: (LedgerAudit.Entry) -> Void) throws -> [LedgerAudit.CheckpointStatus] {
        try LedgerAudit.run(layout: layout, storeID: storeID, each: each)
    }

    func sweepScratch() -> StoreTemporaryFiles.Summary {
        StoreTemporaryFiles.sweep(layout: layout)
    }

    /// None: the store lock keeps writers apart for their whole command.
    func uploadClaims(catalog: Catalog) throws -> StoreUploadClaims? { nil }

    /// The fresh catalog is built beside the old one (`catalog.sqlite.rebuild`), closed, fsynced and renamed over it;
    /// the old one's WAL goes first, so it can never be applied to the new file.
    /// The ledger file is the only copy: nothing to restore (nil).
    func rebuildCatalog(_ index: (Catalog, Int, [UInt8]) throws -> Void) throws -> StoreLedgerRestore? {
        let fresh = layout.catalogPath + ".rebuild"
        for suffix in ["", "-wal", "-shm"] { unlink(fresh + suffix) }
        let catalog = try SQLiteCatalog(path: fresh)
        try forEachLedgerLine { seq, line in try index(catalog, seq, line) }
        do { try catalog.close() } catch {
            throw AmanaError(.outputFailed, "cannot finish the rebuilt catalog: \(error)")
        }
        guard LocalStoreBackEnd.fsync(fresh) else {
            throw AmanaError(.outputFailed, "cannot write the rebuilt catalog to disk: \(POSIX.errorText())")
        }
        for suffix in ["-wal", "-shm"] { unlink(layout.catalogPath + suffix) }
        guard rename(fresh, layout.catalogPath) == 0 else {
            throw AmanaError(.outputFailed, "cannot put the rebuilt catalog in place: \(POSIX.errorText())")
        }
        for suffix in ["-wal", "-shm"] { unlink(fresh + suffix) }
        POSIX.fsyncDirectory(containing: layout.catalogPath)
        return nil
    }

    private static func fsync(_ path: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return Glibc.fsync(fd) == 0
    }
}
