import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An evidence store: a folder of read-only objects named by their SHA-256, a signed ledger, and a catalog over it.
///
/// Everything in it is created private to its owner (folders 0700, files 0600, objects 0400): the store holds names
/// and places that can endanger people. A writer holds the store lock for its whole command; opening for writing also
/// repairs what a crash can leave (a torn last ledger line) and brings the catalog up to the ledger.
package final class EvidenceStore {
    package let layout: StoreLayout
    package let config: StoreConfig
    package let catalog: Catalog
    /// Held by writers; nil for readers.
    private let lock: StoreLock?
    /// Why a reader could not index the ledger events the catalog lacks (nil when it is up to date): the answers
    /// then leave out what those events recorded, until the next writer indexes them.
    package private(set) var catalogBehind: String?
    /// The ledger a writer opened (and repaired) with the store: read once per command, not once per use.
    private var openedLedger: StoreLedger?

    private init(layout: StoreLayout, config: StoreConfig, catalog: Catalog, lock: StoreLock?,
                 ledger: StoreLedger? = nil) {
        self.layout = layout
        self.config = config
        self.catalog = catalog
        self.lock = lock
        self.openedLedger = ledger
    }

    /// Creates a new, empty store at `path` (which must not exist, or be an empty folder), and writes its first
    /// signed checkpoint (of the empty ledger) with `key`.
    @discardableResult
    package static func create(at path: String, key: SecretKey, time: Date = Date()) throws -> EvidenceStore {
        umask(0o077)
        let layout = StoreLayout(root: path)
        if let info = POSIX.lstat(layout.root) {
            let empty = POSIX.isDirectory(info) && ((try? FileManager.default.contentsOfDirectory(atPath: layout.root))?.isEmpty ?? false)
            guard empty else {
                throw AmanaError(.outputExists, "\(path) already exists and is not an empty folder; amana never overwrites",
                                 hint: "choose a new folder for the store")
            }
            guard chmod(layout.root, 0o700) == 0 else {
                throw AmanaError(.outputFailed, "cannot make \(path) private: \(POSIX.errorText())")
            }
        } else if mkdir(layout.root, 0o700) != 0 {
            throw AmanaError(.outputFailed, "cannot create \(path): \(POSIX.errorText())")
        }
        for folder in [layout.root + "/objects", layout.objectsFolder, layout.ledgerFolder, layout.temporaryFolder] {
            guard mkdir(folder, 0o700) == 0 else {
                throw AmanaError(.outputFailed, "cannot create \(folder): \(POSIX.errorText())")
            }
        }
        let config = StoreConfig(storeID: UUID().uuidString.lowercased(), created: UTCTime.format(time),
                                 keeperKeyID: key.keyID.description, keeperPublicKey: key.publicKey.base64)
        let lock = try StoreLock(layout: layout)
        let catalog = try SQLiteCatalog(path: layout.catalogPath)
        let ledger = try StoreLedger(layout: layout, storeID: config.storeID, repair: true)
        try ledger.checkpoint(key: key, time: time)
        // store.json last: a folder without it is not yet a store, so a crash during init leaves nothing half-made
        // that a later command would trust.
        try AtomicOutput.write(config.bytes, to: layout.configPath, mode: 0o600)
        POSIX.fsyncDirectory(containing: layout.configPath)
        return EvidenceStore(layout: layout, config: config, catalog: catalog, lock: lock)
    }

    /// Opens an existing store. `writing` takes the store lock (waiting for another writer to finish), repairs a
    /// torn ledger line and indexes ledger events the catalog lacks. Readers catch the catalog up only when no writer
    /// holds the lock.
    package static func open(_ path: String, writing: Bool) throws -> EvidenceStore {
        umask(0o077)
        let layout = StoreLayout(root: path)
        guard let info = POSIX.lstat(layout.root), POSIX.isDirectory(info) else {
            throw AmanaError(.inputUnreadable, "\(path) is not a folder", hint: "create a store with 'amana store init DIR --key K.key'")
        }
        let bytes: [UInt8]
        do { bytes = try ReadOnlyFile.readAll(layout.configPath, limit: 64 * 1024) } catch {
            throw AmanaError(.inputInvalid, "\(path) is not an amana store (no store.json)",
                             hint: "create a store with 'amana store init DIR --key K.key'")
        }
        let config = try StoreConfig(bytes: bytes, path: layout.configPath)
        let lock = writing ? try StoreLock(layout: layout) : StoreLock.tryLock(layout: layout)
        let catalog = try SQLiteCatalog(path: layout.catalogPath)
        var ledger: StoreLedger?
        var behind: String?
        if lock != nil {
            if writing {
                let opened = try StoreLedger(layout: layout, storeID: config.storeID, repair: true)
                ledger = opened
                // The ledger was just read: read it again only when the catalog lacks some of its events.
                if try catalog.indexedThrough() < opened.count { try catalog.catchUp(layout: layout) }
            } else {
                // A reader only reads: a catalog it cannot bring up to the ledger (the disk is full) is read as it
                // is, and the reader is told, rather than failing a read-only command for want of space.
                do { try catalog.catchUp(layout: layout) } catch let error as AmanaError {
                    behind = error.reason
                }
            }
        }
        let store = EvidenceStore(layout: layout, config: config, catalog: catalog, lock: writing ? lock : nil,
                                  ledger: ledger)
        store.catalogBehind = behind
        return store
    }

    private static func fsync(_ path: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return Glibc.fsync(fd) == 0
    }

    /// Hashes a file (read only) and looks its content up: its SHA-256, and the stored item if there is one.
    package func find(file path: String) throws -> (sha256: String, item: StoredItem?) {
        let source = try ReadOnlyFile(path: path)
        let (sha256, _) = try ObjectCopier(layout: layout).hashOnly(source, display: path)
        return (sha256, try catalog.item(sha256: sha256))
    }

    /// The ledger, for appending (writers only).
    package func ledger() throws -> StoreLedger {
        precondition(lock != nil, "only a writer appends to the ledger")
        if let openedLedger { return openedLedger }
        let ledger = try StoreLedger(layout: layout, storeID: config.storeID, repair: true)
        openedLedger = ledger
        return ledger
    }

    /// Removes what killed ingests left in `tmp/` and no re-run can use (``StoreTemporaryFiles``), but only under
    /// the store lock: a writer's own, or one taken now. Nil when another writer holds the lock: its files are live.
    @discardableResult
    package func sweepTemporaryFiles() -> StoreTemporaryFiles.Summary? {
        if lock != nil { return StoreTemporaryFiles.sweep(layout: layout) }
        guard let held = StoreLock.tryLock(layout: layout) else { return nil }
        return withExtendedLifetime(held) { StoreTemporaryFiles.sweep(layout: layout) }
    }

    /// Recreates the catalog from the ledger alone: the old catalog is moved aside, a new one built by replaying
    /// every event, and the old one removed only once the new one is complete. Needs a store opened for writing.
    package static func rebuildCatalog(_ path: String) throws
        -> (events: Int, objects: Int, missing: [String], missingRecords: [String]) {
        umask(0o077)
        let layout = StoreLayout(root: path)
        let config = try open(path, writing: false).config
        let lock = try StoreLock(layout: layout)
        defer { withExtendedLifetime(lock) {} }
        let fresh = layout.catalogPath + ".rebuild"
        for suffix in ["", "-wal", "-shm"] { unlink(fresh + suffix) }
        let catalog = try SQLiteCatalog(path: fresh)
        var events = 0
        var missing = [String](), missingRecords = [String]()
        try StoreLedger.events(layout: layout) { seq, event, line in
            try catalog.index(seq: seq, event: event, line: line)
            events = seq
            if let record = AcquisitionRecord(seq: seq, event: event) {
                if record.outcome == .new, !POSIX.exists(layout.objectPath(sha256: record.sha256)) {
                    missing.append(record.sha256)
                }
                if let derived = record.metadataRecord, !POSIX.exists(layout.recordPath(sha256: derived)) {
                    missingRecords.append(derived)
                }
            }
        }
        _ = config
        let objects = try catalog.items(caseID: nil).count
        do { try catalog.close() } catch {
            throw AmanaError(.outputFailed, "cannot finish the rebuilt catalog: \(error)")
        }
        guard fsync(fresh) else {
            throw AmanaError(.outputFailed, "cannot write the rebuilt catalog to disk: \(POSIX.errorText())")
        }
        // The old catalog's WAL must not be applied to the new file.
        for suffix in ["-wal", "-shm"] { unlink(layout.catalogPath + suffix) }
        guard rename(fresh, layout.catalogPath) == 0 else {
            throw AmanaError(.outputFailed, "cannot put the rebuilt catalog in place: \(POSIX.errorText())")
        }
        for suffix in ["-wal", "-shm"] { unlink(fresh + suffix) }
        POSIX.fsyncDirectory(containing: layout.catalogPath)
        return (events, objects, missing, missingRecords)
    }
}
