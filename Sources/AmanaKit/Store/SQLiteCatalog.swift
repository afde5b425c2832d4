import Foundation
import GRDB

/// The embedded catalog: one SQLite file in the store, through GRDB.
///
/// WAL mode (a `DatabasePool`), so `store list` and friends read a consistent snapshot while an ingest writes;
/// foreign keys on, so an acquisition can never name an object or a case the catalog lacks. The schema grows only
/// through ``migrator``'s numbered migrations (spec/store.md, "Catalog"); a catalog written by a newer Amana, with a
/// migration this one does not know, is refused rather than guessed at.
package final class SQLiteCatalog: Catalog {
    private let pool: DatabasePool

    package init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers are serialised by the store lock; the timeout only covers a reader's WAL checkpoint.
        configuration.busyMode = .timeout(30)
        // The catalog is an index that the next writer brings up to the ledger (spec/store.md, "Crash guarantees"),
        // so a commit need not wait for the disk: in WAL mode NORMAL keeps the file consistent after a power loss
        // and only the last commits can be missing, which the catch-up indexes again. The ledger holds the fsync.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = SQLiteCatalog.migrator
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw AmanaError(.inputInvalid, "the store's catalog was written by a newer amana",
                                 hint: "use that version, or 'amana store rebuild-catalog' with this one")
            }
            try migrator.migrate(pool)
        } catch let error as AmanaError {
            throw error
        } catch {
            throw AmanaError(.outputFailed, "cannot open the store's catalog: \(error)",
                             hint: "'amana store rebuild-catalog DIR' recreates it from the ledger")
        }
    }

    /// Closes the database, checkpointing the WAL into the main file (before the file is moved).
    package func close() throws {
        try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try pool.close()
    }

    /// The schema's history. A migration, once released, is never edited: a new one is added.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_events (
                    seq INTEGER PRIMARY KEY, time TEXT NOT NULL, action TEXT NOT NULL, key_id TEXT NOT NULL,
                    actor_name TEXT, line_sha256 TEXT NOT NULL);
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY, first_seq INTEGER NOT NULL REFERENCES ledger_events(seq));
                CREATE TABLE objects (
                    sha256 TEXT PRIMARY KEY, sha512 TEXT NOT NULL, size INTEGER NOT NULL,
                    first_seq INTEGER NOT NULL REFERENCES ledger_events(seq));
                CREATE INDEX objects_size ON objects(size);
                CREATE TABLE acquisitions (
                    seq INTEGER PRIMARY KEY REFERENCES ledger_events(seq),
                    sha256 TEXT NOT NULL REFERENCES objects(sha256), case_id TEXT NOT NULL REFERENCES cases(id),
                    time TEXT NOT NULL, collector TEXT NOT NULL, key_id TEXT NOT NULL, actor_name TEXT, role TEXT,
                    device TEXT, location TEXT, source_url TEXT, note TEXT, outcome TEXT NOT NULL);
                CREATE INDEX acquisitions_sha256 ON acquisitions(sha256);
                CREATE INDEX acquisitions_case ON acquisitions(case_id);
                CREATE TABLE sources (
                    acquisition_seq INTEGER PRIMARY KEY REFERENCES acquisitions(seq), path TEXT NOT NULL,
                    size INTEGER NOT NULL, mtime TEXT NOT NULL, ctime TEXT NOT NULL, fs_type TEXT, volume_uuid TEXT,
                    volume_label TEXT, device_model TEXT, device_serial TEXT);
                CREATE INDEX sources_path ON sources(path);
                CREATE TABLE seals (
                    seq INTEGER PRIMARY KEY REFERENCES ledger_events(seq), case_id TEXT REFERENCES cases(id),
                    bundle_id TEXT);
                CREATE TABLE derived_records (
                    seq INTEGER NOT NULL REFERENCES ledger_events(seq),
                    sha256 TEXT NOT NULL REFERENCES objects(sha256), kind TEXT NOT NULL,
                    record_sha256 TEXT NOT NULL, PRIMARY KEY (seq, sha256, kind));
                CREATE TABLE scrubs (
                    seq INTEGER PRIMARY KEY REFERENCES ledger_events(seq), objects INTEGER NOT NULL,
                    damaged INTEGER NOT NULL);
                """)
        }
        // v2: the source's device and inode numbers, and how a duplicate was recognised, for the re-run shortcut.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE sources ADD COLUMN dev INTEGER;
                ALTER TABLE sources ADD COLUMN ino INTEGER;
                ALTER TABLE sources ADD COLUMN recognised_by TEXT;
                CREATE INDEX sources_file ON sources(dev, ino);
                """)
        }
        return migrator
    }

    /// The tables, in the order `snapshot` lists them (and spec/store.md describes them).
    static let tables: [(name: String, key: String)] = [
        ("ledger_events", "seq"), ("cases", "id"), ("objects", "sha256"), ("acquisitions", "seq"),
        ("sources", "acquisition_seq"), ("seals", "seq"), ("derived_records", "seq, sha256, kind"), ("scrubs", "seq"),
    ]

    package func indexedThrough() throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: "SELECT COALESCE(MAX(seq), 0) FROM ledger_events") ?? 0 }
    }

    package func index(seq: Int, event: CustodyEvent, line: [UInt8]) throws {
        try SQLiteCatalog.writing { try pool.write { db in try SQLiteCatalog.insert(db, seq: seq, event: event, line: line) } }
    }

    package func index(batch: [(seq: Int, event: CustodyEvent, line: [UInt8])]) throws {
        try SQLiteCatalog.writing {
            try pool.write { db in
                for entry in batch { try SQLiteCatalog.insert(db, seq: entry.seq, event: entry.event, line: entry.line) }
            }
        }
    }

    /// A failed catalog write as the CLI reports it: a full disk is the store's disk being full (exit 74, like a
    /// copy that runs out of space), not an SQLite message; the event is in the ledger and the next writer indexes it.
    private static func writing(_ body: () throws -> Void) throws {
        do { try body() } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_FULL {
                throw AmanaError(.outputFailed, "the store's disk is full",
                                 hint: "free space or use another store; everything stored so far stays valid")
            }
            throw AmanaError(.outputFailed, "cannot write the store's catalog: \(error.message ?? "\(error.resultCode)")",
                             hint: "'amana store rebuild-catalog DIR' recreates it from the ledger")
        }
    }

    /// Runs one of the fixed statements below through the connection's statement cache: an ingest indexes tens of
    /// thousands of events, and compiling the same SQL for each was a large part of a re-run's time.
    private static func run(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    private static func insert(_ db: Database, seq: Int, event: CustodyEvent, line: [UInt8]) throws {
        let lineDigest = MultiDigest.digests(of: line, [.sha256])[.sha256]!.hex
        try run(db, "INSERT INTO ledger_events VALUES (?, ?, ?, ?, ?, ?)",
                [seq, event.time, event.action.rawValue, event.actor.keyID, event.actor.name, lineDigest])
        switch event.action {
        case .ingested, .duplicate:
            guard let record = AcquisitionRecord(seq: seq, event: event) else { return }
            try run(db, "INSERT OR IGNORE INTO cases VALUES (?, ?)", [record.caseID, seq])
            try run(db, "INSERT OR IGNORE INTO objects VALUES (?, ?, ?, ?)",
                    [record.sha256, record.sha512, Int64(record.source.size), seq])
            try run(db, "INSERT INTO acquisitions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [seq, record.sha256, record.caseID, record.time, record.collector, record.keyID, record.actorName,
                     record.role, record.device, record.location, record.sourceURL, record.note,
                     record.outcome.rawValue])
            let source = record.source
            try run(db, "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [seq, source.path, Int64(source.size), source.mtime, source.ctime, source.fileSystemType,
                     source.volumeUUID, source.volumeLabel, source.deviceModel, source.deviceSerial,
                     source.deviceNumber.map { Int64(bitPattern: $0) }, source.inode.map { Int64(bitPattern: $0) },
                     record.recognisedByIdentity ? "identity" : nil])
            if let metadata = record.metadataRecord {
                try run(db, "INSERT INTO derived_records VALUES (?, ?, ?, ?)",
                        [seq, record.sha256, DerivedRecord.Kind.metadata.rawValue, metadata])
            }
        case .sealed:
            // `seal --store` (spec/store.md section 8): which bundle the case's objects went into. A sealed event
            // without a bundle id (none is written) is not a seal of the store's.
            if let bundleID = event.details["bundle"], let caseID = event.details["case"] {
                try run(db, "INSERT OR IGNORE INTO cases VALUES (?, ?)", [caseID, seq])
                try run(db, "INSERT INTO seals VALUES (?, ?, ?)", [seq, caseID, bundleID])
            }
        case .verified:
            if let objects = event.details["objects"].flatMap(Int.init),
               let damaged = event.details["damaged"].flatMap(Int.init) {
                try run(db, "INSERT INTO scrubs VALUES (?, ?, ?)", [seq, objects, damaged])
            }
        default:
            break
        }
    }

    private static let acquisitionColumns = """
        a.seq, a.sha256, o.sha512, a.case_id, a.time, a.collector, a.key_id, a.actor_name, a.role, a.device,
        a.location, a.source_url, a.note, a.outcome, s.path, s.size, s.mtime, s.ctime, s.fs_type, s.volume_uuid,
        s.volume_label, s.device_model, s.device_serial, s.dev, s.ino, s.recognised_by
        FROM acquisitions a JOIN objects o ON o.sha256 = a.sha256 JOIN sources s ON s.acquisition_seq = a.seq
        """

    private static func acquisition(_ row: Row) -> AcquisitionRecord {
        let source = SourceRecord(path: row["path"], size: UInt64(row["size"] as Int64), mtime: row["mtime"],
                                  ctime: row["ctime"], fileSystemType: row["fs_type"], volumeUUID: row["volume_uuid"],
                                  volumeLabel: row["volume_label"], deviceModel: row["device_model"],
                                  deviceSerial: row["device_serial"],
                                  deviceNumber: (row["dev"] as Int64?).map { UInt64(bitPattern: $0) },
                                  inode: (row["ino"] as Int64?).map { UInt64(bitPattern: $0) })
        var record = AcquisitionRecord(seq: row["seq"], sha256: row["sha256"], sha512: row["sha512"], caseID: row["case_id"],
                                 time: row["time"], collector: row["collector"], keyID: row["key_id"],
                                 actorName: row["actor_name"], role: row["role"], device: row["device"],
                                 location: row["location"], sourceURL: row["source_url"], note: row["note"],
                                 outcome: AcquisitionRecord.Outcome(rawValue: row["outcome"]) ?? .new, source: source)
        record.recognisedByIdentity = (row["recognised_by"] as String?) == "identity"
        return record
    }

    package func acquisition(sameFileAs source: SourceRecord) throws -> (known: AcquisitionRecord, first: AcquisitionRecord)? {
        guard let dev = source.deviceNumber, let ino = source.inode else { return nil }
        // One read transaction and two cached statements per source: this runs once for every file of a re-run.
        return try pool.read { db in
            let match = try db.cachedStatement(sql: """
                SELECT \(SQLiteCatalog.acquisitionColumns) WHERE s.dev = ? AND s.ino = ? AND s.size = ? AND s.mtime = ?
                AND s.ctime = ? AND s.path = ? AND s.volume_uuid IS ? ORDER BY a.seq DESC LIMIT 1
                """)
            guard let known = try Row.fetchOne(match, arguments: [
                Int64(bitPattern: dev), Int64(bitPattern: ino), Int64(source.size), source.mtime, source.ctime,
                source.path, source.volumeUUID,
            ]).map(SQLiteCatalog.acquisition) else { return nil }
            let firstStatement = try db.cachedStatement(sql: """
                SELECT \(SQLiteCatalog.acquisitionColumns) WHERE a.seq = o.first_seq AND o.sha256 = ?
                """)
            guard let first = try Row.fetchOne(firstStatement, arguments: [known.sha256]).map(SQLiteCatalog.acquisition)
            else { return nil }
            return (known, first)
        }
    }

    package func acquisitions(sha256: String) throws -> [AcquisitionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteCatalog.acquisitionColumns) WHERE a.sha256 = ? ORDER BY a.seq",
                             arguments: [sha256]).map(SQLiteCatalog.acquisition)
        }
    }

    package func acquisitions(sourcePath: String) throws -> [AcquisitionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteCatalog.acquisitionColumns) WHERE s.path = ? ORDER BY a.seq",
                             arguments: [sourcePath]).map(SQLiteCatalog.acquisition)
        }
    }

    package func item(sha256: String) throws -> StoredItem? {
        try pool.read { db in try SQLiteCatalog.items(db, where: "o.sha256 = ?", arguments: [sha256], cached: true).first }
    }

    package func items(caseID: String?) throws -> [StoredItem] {
        try pool.read { db in
            guard let caseID else { return try SQLiteCatalog.items(db, where: "1", arguments: []) }
            return try SQLiteCatalog.items(
                db, where: "o.sha256 IN (SELECT sha256 FROM acquisitions WHERE case_id = ?)", arguments: [caseID])
        }
    }

    private static func items(_ db: Database, where condition: String, arguments: StatementArguments,
                              cached: Bool = false) throws -> [StoredItem] {
        let sql = "SELECT \(acquisitionColumns) WHERE a.seq = o.first_seq AND \(condition) ORDER BY o.first_seq"
        let rows = try Row.fetchAll(cached ? db.cachedStatement(sql: sql) : db.makeStatement(sql: sql), arguments: arguments)
        let casesStatement = try db.cachedStatement(
            sql: "SELECT DISTINCT case_id FROM acquisitions WHERE sha256 = ? ORDER BY case_id")
        return try rows.map { row in
            let first = acquisition(row)
            let cases = try String.fetchAll(casesStatement, arguments: [first.sha256])
            return StoredItem(sha256: first.sha256, sha512: first.sha512, size: first.source.size, first: first,
                              cases: cases)
        }
    }

    package func hasItem(size: UInt64) throws -> Bool {
        try pool.read {
            try Bool.fetchOne($0.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM objects WHERE size = ?)"),
                              arguments: [Int64(size)]) ?? false
        }
    }

    package func snapshot() throws -> [String: [[String]]] {
        try pool.read { db in
            var out = [String: [[String]]]()
            for table in SQLiteCatalog.tables {
                out[table.name] = try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.key)").map { row in
                    row.databaseValues.map { $0.isNull ? "NULL" : $0.description }
                }
            }
            return out
        }
    }
}

extension SQLiteCatalog {
    package func derivedRecords(sha256: String) throws -> [DerivedRecord] {
        try pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT seq, sha256, kind, record_sha256 FROM derived_records WHERE sha256 = ? ORDER BY seq, kind
                """)
            var out = [DerivedRecord]()
            for row in try Row.fetchAll(statement, arguments: [sha256]) {
                let kindName: String = row["kind"]
                guard let kind = DerivedRecord.Kind(rawValue: kindName) else { continue }
                let seq: Int = row["seq"]
                let object: String = row["sha256"]
                let record: String = row["record_sha256"]
                out.append(DerivedRecord(seq: seq, sha256: object, kind: kind, recordSHA256: record))
            }
            return out
        }
    }
}
