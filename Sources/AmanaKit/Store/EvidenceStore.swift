import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An evidence store: read-only objects named by their SHA-256, a signed ledger, and a catalog over it.
///
/// It is built from its `store.json` through ``StoreBackEnds``, and reaches its back ends only through their
/// protocols (``ObjectStore``, ``StoreLedgerBackend``, ``Catalog``, ``StoreBackEnd``), so the commands above it work
/// the same on a local folder and, later, on PostgreSQL and S3. A local store is one folder, everything in it created
/// private to its owner (folders 0700, files 0600, objects 0400): the store holds names and places that can endanger
/// people. A writer holds the back end's writer exclusion (a local store's lock, for its whole command); opening for
/// writing also repairs what a crash can leave (a torn last ledger line) and brings the catalog up to the ledger.
package final class EvidenceStore {
    package let layout: StoreLayout
    package let config: StoreConfig
    package let catalog: Catalog
    /// Where the objects and derived records are (a folder here, S3 for an organisation store).
    let objects: ObjectStore
    /// The back ends the configuration names, built by ``StoreBackEnds``.
    private let backEnd: StoreBackEnd
    /// Held by writers; nil for readers. A local store's is its `flock`, held for the whole command.
    private let writer: StoreWriterExclusion?
    /// Why a reader could not index the ledger events the catalog lacks (nil when it is up to date): the answers
    /// then leave out what those events recorded, until the next writer indexes them.
    package private(set) var catalogBehind: String?
    /// The ledger a writer opened (and repaired) with the store: read once per command, not once per use.
    private var openedLedger: StoreLedgerBackend?
    private var openedClaims: StoreUploadClaims?

    private init(layout: StoreLayout, config: StoreConfig, backEnd: StoreBackEnd, catalog: Catalog,
                 writer: StoreWriterExclusion?, ledger: StoreLedgerBackend? = nil) {
        self.layout = layout
        self.config = config
        self.backEnd = backEnd
        self.catalog = catalog
        self.objects = backEnd.objects
        self.writer = writer
        self.openedLedger = ledger
    }

    /// Creates a new, empty store at `path` (which must not exist, or be an empty folder), and writes its first
    /// signed checkpoint (of the empty ledger) with `key`.
    @discardableResult
    package static func create(at path: String, key: SecretKey, time: Date = Date()) throws -> EvidenceStore {
        umask(0o077)
        let layout = StoreLayout(root: path)
        _ = try makeFolder(layout, display: path,
                           subfolders: [layout.root + "/objects", layout.objectsFolder, layout.ledgerFolder,
                                        layout.temporaryFolder])
        let config = StoreConfig(storeID: UUID().uuidString.lowercased(), created: UTCTime.format(time),
                                 keeperKeyID: key.keyID.description, keeperPublicKey: key.publicKey.base64)
        let backEnd = try StoreBackEnds.make(config: config, layout: layout)
        let writer = try backEnd.writerExclusion(wait: true)
        let catalog = try backEnd.openCatalog()
        let ledger = try backEnd.openLedger(indexingInto: catalog)
        try ledger.checkpoint(key: key, time: time)
        // store.json last: a folder without it is not yet a store, so a crash during init leaves nothing half-made
        // that a later command would trust.
        try AtomicOutput.write(config.bytes, to: layout.configPath, mode: 0o600)
        POSIX.fsyncDirectory(containing: layout.configPath)
        return EvidenceStore(layout: layout, config: config, backEnd: backEnd, catalog: catalog, writer: writer)
    }

    /// Refuses a store folder that exists and is not an empty folder (amana never overwrites), before anything is
    /// written anywhere.
    static func checkNewFolder(_ layout: StoreLayout, display path: String) throws {
        guard let info = POSIX.lstat(layout.root) else { return }
        let empty = POSIX.isDirectory(info) && ((try? FileManager.default.contentsOfDirectory(atPath: layout.root))?.isEmpty ?? false)
        guard empty else {
            throw AmanaError(.outputExists, "\(path) already exists and is not an empty folder; amana never overwrites",
                             hint: "choose a new folder for the store")
        }
    }

    /// Makes the (new or empty) store folder private (0700) and creates `subfolders` in it. Returns whether the
    /// folder itself was created here, so a failed init can take it away again.
    static func makeFolder(_ layout: StoreLayout, display path: String, subfolders: [String]) throws -> Bool {
        try checkNewFolder(layout, display: path)
        var created = false
        if POSIX.lstat(layout.root) != nil {
            guard chmod(layout.root, 0o700) == 0 else {
                throw AmanaError(.outputFailed, "cannot make \(path) private: \(POSIX.errorText())")
            }
        } else if mkdir(layout.root, 0o700) != 0 {
            throw AmanaError(.outputFailed, "cannot create \(path): \(POSIX.errorText())")
        } else {
            created = true
        }
        for folder in subfolders {
            guard mkdir(folder, 0o700) == 0 else {
                throw AmanaError(.outputFailed, "cannot create \(folder): \(POSIX.errorText())")
            }
        }
        return created
    }

    /// Removes a station folder a failed init made, if it holds nothing but its empty scratch folder.
    static func removeEmptyFolder(_ layout: StoreLayout) {
        rmdir(layout.temporaryFolder)
        rmdir(layout.root)
    }

    /// Opens an existing store. `writing` takes the writer exclusion (a local store's lock, waiting for another
    /// writer to finish), repairs a torn ledger line and indexes ledger events the catalog lacks. Readers catch the
    /// catalog up only when no writer is at work.
    package static func open(_ path: String, writing: Bool) throws -> EvidenceStore {
        umask(0o077)
        let layout = StoreLayout(root: path)
        guard let info = POSIX.lstat(layout.root), POSIX.isDirectory(info) else {
            throw AmanaError(.inputUnreadable, "\(path) is not a folder", hint: "create a store with 'amana store init DIR --key K.key'")
        }
        let config = try readConfig(layout)
        let backEnd = try StoreBackEnds.make(config: config, layout: layout)
        let writer = writing ? try backEnd.writerExclusion(wait: true) : try? backEnd.writerExclusion(wait: false)
        let catalog = try backEnd.openCatalog()
        var ledger: StoreLedgerBackend?
        var behind: String?
        if writer != nil {
            if writing {
                let opened = try backEnd.openLedger(indexingInto: catalog)
                ledger = opened
                try backEnd.catchUp(catalog, ledger: opened)
            } else {
                // A reader only reads: a catalog it cannot bring up to the ledger (the disk is full) is read as it
                // is, and the reader is told, rather than failing a read-only command for want of space.
                do { try backEnd.catchUp(catalog, ledger: nil) } catch let error as AmanaError {
                    behind = error.reason
                }
            }
        }
        let store = EvidenceStore(layout: layout, config: config, backEnd: backEnd, catalog: catalog,
                                  writer: writing ? writer : nil, ledger: ledger)
        store.catalogBehind = behind
        return store
    }

    /// Reads and checks `store.json`.
    private static func readConfig(_ layout: StoreLayout) throws -> StoreConfig {
        let bytes: [UInt8]
        do { bytes = try ReadOnlyFile.readAll(layout.configPath, limit: 64 * 1024) } catch {
            throw AmanaError(.inputInvalid, "\(layout.root) is not an amana store (no store.json)",
                             hint: "create a store with 'amana store init DIR --key K.key'")
        }
        return try StoreConfig(bytes: bytes, path: layout.configPath)
    }

    /// Hashes a file (read only) and looks its content up: its SHA-256, and the stored item if there is one.
    package func find(file path: String) throws -> (sha256: String, item: StoredItem?) {
        let source = try ReadOnlyFile(path: path)
        let (sha256, _) = try objects.digests(of: source, display: path)
        return (sha256, try catalog.item(sha256: sha256))
    }

    /// A derived metadata record's content, checked against its name; nil when it is missing or damaged.
    package func metadataRecord(sha256: String) -> MetadataRecord? {
        objects.record(sha256: sha256).flatMap { MetadataRecordsFile.parse($0).records.first }
    }

    /// The ledger, for appending (writers only).
    package func ledger() throws -> StoreLedgerBackend {
        precondition(writer != nil, "only a writer appends to the ledger")
        if let openedLedger { return openedLedger }
        let ledger = try backEnd.openLedger(indexingInto: catalog)
        openedLedger = ledger
        return ledger
    }

    /// The back end's upload claims (writers only), nil for a local store, whose lock already keeps writers apart.
    /// Opened once per command, on the catalog's connection.
    func uploadClaims() throws -> StoreUploadClaims? {
        precondition(writer != nil, "only a writer claims uploads")
        if let openedClaims { return openedClaims }
        openedClaims = try backEnd.uploadClaims(catalog: catalog)
        return openedClaims
    }

    /// Judges the ledger line by line (``LedgerAudit``) and returns every checkpoint's status.
    package func auditLedger(_ each: (LedgerAudit.Entry) -> Void) throws -> [LedgerAudit.CheckpointStatus] {
        try backEnd.auditLedger(storeID: config.storeID, each: each)
    }

    /// Removes what killed ingests left in `tmp/` and no re-run can use (``StoreTemporaryFiles``), but only under
    /// the writer exclusion: a writer's own, or one taken now. Nil when another writer holds it: its files are live.
    @discardableResult
    package func sweepTemporaryFiles() -> StoreTemporaryFiles.Summary? {
        if writer != nil { return backEnd.sweepScratch() }
        guard let held = try? backEnd.writerExclusion(wait: false) else { return nil }
        return withExtendedLifetime(held) { backEnd.sweepScratch() }
    }

    /// Recreates the catalog from the ledger alone: the old catalog is replaced by a new one built by replaying
    /// every event, only once the new one is complete. Takes the writer exclusion for its whole run.
    package static func rebuildCatalog(_ path: String) throws
        -> (events: Int, objects: Int, missing: [String], missingRecords: [String]) {
        umask(0o077)
        let layout = StoreLayout(root: path)
        let config = try open(path, writing: false).config
        let backEnd = try StoreBackEnds.make(config: config, layout: layout)
        let writer = try backEnd.writerExclusion(wait: true)
        defer { withExtendedLifetime(writer) {} }
        let objects = backEnd.objects
        var events = 0, count = 0
        var missing = [String](), missingRecords = [String]()
        try backEnd.rebuildCatalog { catalog in
            try backEnd.forEachLedgerLine { seq, line in
                let event = try CustodyEvent(line: line)
                try catalog.index(seq: seq, event: event, line: line)
                events = seq
                if let record = AcquisitionRecord(seq: seq, event: event) {
                    if record.outcome == .new, !objects.exists(StoredObjectRef(record)) {
                        missing.append(record.sha256)
                    }
                    if let derived = record.metadataRecord, !objects.recordExists(sha256: derived) {
                        missingRecords.append(derived)
                    }
                }
            }
            count = try catalog.items(caseID: nil).count
        }
        return (events, count, missing, missingRecords)
    }
}
