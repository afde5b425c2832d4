import Foundation
import PostgresNIO
#if canImport(Glibc)
import Glibc
#endif

/// `amana store init DIR --catalog postgres://... --objects s3://...`: makes DIR a station of an organisation store
/// (spec/store.md, "Organisation store: init"), creating the store when the back ends hold none and joining it when
/// they do.
///
/// The store's identity (format, store ID, creation time, keeper) is the object `PREFIX/store.json` in S3, written
/// once as a locked object: the FIRST version under that key is the identity (a later version is someone else's
/// overwrite and never read). The database holds the same store when its first checkpoint's origin names that ID.
/// Creation is serialised on the database: every init takes one session-level advisory lock for the whole decision,
/// so two stations running init at the same moment on empty back ends end up in one store (the second finds what
/// the first made and joins).
///
/// What init finds, and what it does:
/// - nothing in either: creates (identity in S3 first, then the first checkpoint in the database);
/// - the same store in both: joins;
/// - the identity in S3, no evidence under the prefix (no object, record, ledger batch, or checkpoint over an event),
///   and an empty database: an init that died between its two writes; it finishes it (takes the identity, and adopts
///   the first checkpoint the dead init archived on S3, or signs it when there is none);
/// - anything else (two different stores; a database with a store and no identity in S3; an identity with objects
///   or ledger batches in S3 and an empty database, i.e. a lost or wrong database): refuses in one line, writing
///   nothing.
/// The station folder's `store.json` is written last, mode 0600, and names places only, never a secret.
package enum OrganisationStoreSetup {
    /// What init did.
    package enum Outcome: Equatable, Sendable {
        case created
        case joined
        /// Finished an earlier init that died after writing the identity to S3. `signer` is the key id of the first
        /// checkpoint: this init's key, or the dead init's when that one had archived its checkpoint (adopted).
        case completed(signer: String)
    }

    /// The key of the advisory lock every init takes while it decides (ASCII "amanaini").
    static let initLockKey: Int64 = 0x616D_616E_6169_6E69
    /// How long an init waits for another station's init.
    static let initLockTimeoutSeconds = 120

    /// Makes `path` a station of the organisation store `organisation` names; returns the station's configuration.
    package static func initialise(at path: String, organisation: OrganisationBackEnd, key: SecretKey,
                                   time: Date = Date()) throws -> (config: StoreConfig, outcome: Outcome) {
        umask(0o077)
        let layout = StoreLayout(root: path)
        try EvidenceStore.checkNewFolder(layout, display: path)
        let credentials = try StoreCredentials.load(file: organisation.credentialsFile)
        let client = try S3ClientPool.client(for: organisation, credentials: credentials)
        // The bucket first: without versioning and Object Lock nothing may be written, here or there.
        try S3BucketRequirements.check(client, policy: organisation.retention)
        let connection = try StoreBackEnds.connection(organisation, credentials: credentials)

        let made = try EvidenceStore.makeFolder(layout, display: path, subfolders: [layout.temporaryFolder])
        do {
            let (identity, outcome) = try withInitLock(connection) {
                try decide(organisation: organisation, client: client, connection: connection, layout: layout,
                           key: key, time: time)
            }
            var config = identity
            config.backEnd = .organisation(organisation)
            // store.json last: a folder without it is not yet a station, so a failed init leaves nothing trusted.
            try AtomicOutput.write(config.bytes, to: layout.configPath, mode: 0o600)
            POSIX.fsyncDirectory(containing: layout.configPath)
            return (config, outcome)
        } catch {
            if made { EvidenceStore.removeEmptyFolder(layout) }
            throw error
        }
    }

    /// Runs `body` holding the init lock on a session of its own (released when the session closes, also if this
    /// process dies).
    private static func withInitLock<T>(_ connection: PostgresConnectionConfig, _ body: () throws -> T) throws -> T {
        let session = try PostgresSession(config: connection)
        defer { try? session.close() }
        var binds = PostgresBindings()
        binds.append(initLockKey)
        // Another station's init holds it for a few seconds at most: a wait much longer than that is a hung one.
        try session.query("SET lock_timeout = '\(initLockTimeoutSeconds)s'")
        do {
            try session.query("SELECT pg_advisory_lock($1)", binds)
        } catch let error as AmanaError where error.reason.contains("(sqlstate 55P03)") {
            throw AmanaError(.outputFailed, "another station's store init has held the database's init lock for "
                             + "\(initLockTimeoutSeconds) s; nothing was written",
                             hint: "run the command again; if it keeps failing, look for a hung 'amana store init'")
        }
        return try body()
    }

    private static func decide(organisation: OrganisationBackEnd, client: S3Client, connection: PostgresConnectionConfig,
                               layout: StoreLayout, key: SecretKey, time: Date) throws -> (StoreConfig, Outcome) {
        // The identity first: one that is not a store's is refused before the database is touched.
        let identity = try s3Identity(client)
        // Opening the catalog runs the migrations, so the ledger tables exist from here on.
        let session = try PostgresSession(config: connection)
        defer { try? session.close() }
        _ = try PostgresCatalog(session: session)
        let database = try databaseStore(session)
        let bucket = client.location.description
        let where_ = "the database \(organisation.catalog.url)"

        switch (database, identity) {
        case (nil, nil):
            let config = StoreConfig(storeID: UUID().uuidString.lowercased(), created: UTCTime.format(time),
                                     keeperKeyID: key.keyID.description, keeperPublicKey: key.publicKey.base64)
            try writeIdentity(config, client: client, policy: organisation.retention)
            try firstCheckpoint(config, organisation: organisation, layout: layout, key: key, time: time)
            return (config, .created)
        case (let held?, let identity?):
            guard held == identity.storeID else {
                throw AmanaError(.inputInvalid, "\(where_) holds store \(held) but \(bucket)/store.json names store "
                                 + "\(identity.storeID); they are not one store",
                                 hint: "name the catalog and the objects of the same store")
            }
            return (identity, .joined)
        case (let held?, nil):
            throw AmanaError(.inputInvalid, "\(where_) holds store \(held) but \(bucket) holds no store.json; "
                             + "they are not one store",
                             hint: "check the --objects prefix: it must be the one the store was created with")
        case (nil, let identity?):
            guard try !inUse(client) else {
                throw AmanaError(.inputInvalid, "\(bucket) holds store \(identity.storeID) and its objects but \(where_) "
                                 + "holds no store; the database was lost or is the wrong one",
                                 hint: "name the store's own database, or restore it with 'amana store rebuild-catalog' from a station of that store")
            }
            let archive = S3LedgerArchive(client: client, policy: organisation.retention)
            if let archived = try archivedEmptyCheckpoint(identity, archive: archive) {
                try adopt(archived, storeID: identity.storeID, session: session)
                return (identity, .completed(signer: archived.keyID))
            }
            try firstCheckpoint(identity, organisation: organisation, layout: layout, key: key, time: time)
            return (identity, .completed(signer: key.keyID.description))
        }
    }

    /// The checkpoint of the empty ledger that an init which died before its commit archived (signed, over this
    /// store's empty ledger: what a rebuild would restore from S3), nil when there is none.
    private static func archivedEmptyCheckpoint(_ identity: StoreConfig, archive: S3LedgerArchive) throws
        -> StoreCheckpoint? {
        let chain = try archive.read(storeID: identity.storeID)
        guard chain.count == 0 else { return nil }
        return chain.checkpoints.first { $0.size == 0 }
    }

    /// Commits an archived first checkpoint into the empty database as it is, rather than signing a second one of
    /// the same size: the database then holds exactly what S3 holds, and a rebuild from S3 alone gives it back byte
    /// for byte (spec/store.md 2.4).
    private static func adopt(_ checkpoint: StoreCheckpoint, storeID: String, session: PostgresSession) throws {
        let ledger = try PostgresLedger(session: session, storeID: storeID)
        try session.transaction {
            try ledger.lockForRebuild()
            // The init lock is held and the database was found empty; an append cannot come without a station.
            guard try ledger.count() == 0, try ledger.checkpoints().isEmpty else {
                throw AmanaError(.inputInvalid, "the database's ledger of store \(storeID) changed while store init "
                                 + "decided; nothing was written", hint: "run the command again")
            }
            try ledger.insertRestored(checkpoint: checkpoint)
        }
    }

    /// The store ID the database's ledger belongs to (its first checkpoint's origin), nil for an empty ledger.
    private static func databaseStore(_ session: PostgresSession) throws -> String? {
        let lines = try session.query("SELECT (SELECT COUNT(*) FROM store_ledger)::BIGINT")
        let events = try lines.first?.decode(Int64.self) ?? 0
        guard let row = try session.query("SELECT line FROM store_checkpoints ORDER BY size LIMIT 1").first else {
            guard events == 0 else {
                throw AmanaError(.inputInvalid, "the database holds ledger events but no checkpoint; amana cannot tell "
                                 + "which store it is", hint: "name the store's own database")
            }
            return nil
        }
        let checkpoint = try StoreCheckpoint(line: Array(try row.decode(ByteBuffer.self).readableBytesView))
        let prefix = StoreCheckpoint.origin(storeID: "")
        guard checkpoint.origin.hasPrefix(prefix), checkpoint.origin.count > prefix.count else {
            throw AmanaError(.inputInvalid, "the database's first checkpoint names no amana store")
        }
        return String(checkpoint.origin.dropFirst(prefix.count))
    }

    /// The store's identity in S3: the first version of `PREFIX/store.json` (nil when there is none).
    static func s3Identity(_ client: S3Client) throws -> StoreConfig? {
        let key = client.location.key("store.json")
        let versions = try S3Blocking.run { try await client.listObjectVersions(prefix: key) }
            .filter { $0.key == key }
        // Newest first as listed: the last one that is not a delete marker is the one written first.
        guard let first = versions.last(where: { !$0.isDeleteMarker }) else { return nil }
        let limit = 64 * 1024
        // The first version is never replaced (it is locked, and a later one is never read): a prefix whose first
        // store.json is not a store's can only be left alone.
        let hint = "name the prefix of an amana store, or one that holds no store.json"
        var bytes = [UInt8]()
        try client.getObjectBlocking(key: key, versionID: first.versionID) { chunk in
            guard bytes.count + chunk.count <= limit else {
                throw AmanaError(.inputInvalid, "\(client.location)/store.json is too large to be a store identity",
                                 hint: hint)
            }
            bytes += chunk
        }
        let config: StoreConfig
        do {
            config = try StoreConfig(bytes: bytes, path: "\(client.location)/store.json")
        } catch let error as AmanaError {
            throw AmanaError(error.code, error.reason, hint: hint)
        }
        guard config.backEnd == .local else {
            throw AmanaError(.inputInvalid, "\(client.location)/store.json is not a store identity (it names back ends)",
                             hint: hint)
        }
        return config
    }

    /// Writes the identity as a locked object and reads it back by its version id.
    private static func writeIdentity(_ config: StoreConfig, client: S3Client, policy: RetentionPolicy) throws {
        let key = client.location.key("store.json")
        let bytes = config.bytes
        let lock = policy.objectLock()
        let put = try S3Blocking.run { try await client.putObject(key: key, bytes: bytes, lock: lock) }
        var back = [UInt8]()
        try client.getObjectBlocking(key: key, versionID: put.versionID) { back += $0 }
        guard back == bytes else {
            throw AmanaError(S3Failure.integrity, "s3: \(client.location)/store.json read back is not what was written")
        }
    }

    /// Whether S3 holds evidence under the prefix: an object, a derived record, a ledger batch, or a checkpoint over
    /// at least one event. Such a store's database cannot be replaced by an empty one without forking its ledger.
    /// A checkpoint of the empty ledger carries nothing (an init that died after archiving it and before the database
    /// committed it leaves one), so it does not count.
    private static func inUse(_ client: S3Client) throws -> Bool {
        let emptyLedger = client.location.key("ledger/checkpoints/" + String(repeating: "0", count: 12) + "-")
        for (folder, ignoring) in [("objects/", nil), ("records/", nil), ("ledger/events/", nil),
                                   ("ledger/checkpoints/", emptyLedger)] as [(String, String?)] {
            let prefix = client.location.key(folder)
            let page = try S3Blocking.run { try await client.listObjectsPage(prefix: prefix, maxKeys: 10) }
            if page.objects.contains(where: { key in ignoring.map { !key.key.hasPrefix($0) } ?? true }) { return true }
        }
        return false
    }

    /// Signs the first checkpoint (of the empty ledger) through the store's own back end, as every later one is.
    private static func firstCheckpoint(_ identity: StoreConfig, organisation: OrganisationBackEnd, layout: StoreLayout,
                                        key: SecretKey, time: Date) throws {
        var config = identity
        config.backEnd = .organisation(organisation)
        let backEnd = try StoreBackEnds.make(config: config, layout: layout)
        let writer = try backEnd.writerExclusion(wait: true)
        defer { withExtendedLifetime(writer) {} }
        let catalog = try backEnd.openCatalog()
        _ = try backEnd.openLedger(indexingInto: catalog).checkpoint(key: key, time: time)
    }
}
